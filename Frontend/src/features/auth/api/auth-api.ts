import type { ApiClient } from '../../../lib/api-client'
import type { Id } from '../../../lib/ids'

export interface RegisterRequest {
  email: string
  password: string
  displayName: string
}

export interface RegisterResponse {
  userId: Id
  accessToken: string
}

export interface LoginRequest {
  email: string
  password: string
}

export interface LoginResponse {
  accessToken: string
  expiresAt: string
}

export const register = (api: ApiClient, request: RegisterRequest) => api.post<RegisterResponse>('/api/v1/auth/register', request)

export const login = (api: ApiClient, request: LoginRequest) => api.post<LoginResponse>('/api/v1/auth/login', request)
