import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrl, launchBrowser, screenshot } from './browser'

// The AppHost's dev dashboard, in the same single-topology run as the learner tests: e2e/run-single.sh starts the
// AppHost with a token made for the run and passes the dashboard's URL and token here.
function dashboard(): { url: string; token: string } {
  const url = process.env.E2E_DASHBOARD_URL
  const token = process.env.E2E_DASHBOARD_TOKEN
  if (!url || !token) throw new Error('Set E2E_DASHBOARD_URL and E2E_DASHBOARD_TOKEN (e2e/run-single.sh does)')
  return { url: url.replace(/\/+$/, ''), token }
}

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

async function desktopPage(): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: dashboard().url })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return { context, page, pageErrors }
}

describe('the dev dashboard in the browser', () => {
  it('refuses everything without the token', async () => {
    const { context, page } = await desktopPage()
    try {
      const home = await page.goto('/')
      expect(home?.status()).toBe(401)
      expect(new URL(page.url()).pathname).toBe('/login')
      await page.getByPlaceholder('token').waitFor()
      expect(await page.locator('tr.res').count()).toBe(0)

      for (const path of ['/api/resources', '/api/resources/api/logs', '/api/telemetry/traces', '/api/telemetry/logs']) {
        const response = await page.request.get(path)
        expect(response.status(), path).toBe(401)
      }

      await page.goto('/login?t=not-the-token')
      await page.getByText('That token is not valid for this run.').waitFor()
      await page.goto('/traces')
      expect(new URL(page.url()).pathname).toBe('/login')
      await screenshot(page, 'dashboard-refused-without-token')
    } finally {
      await context.close()
    }
  })

  it('logs in with the token, shows the Api healthy and its console logs, then the trace of a request to it', async () => {
    const { context, page, pageErrors } = await desktopPage()
    try {
      await page.goto(`/login?t=${encodeURIComponent(dashboard().token)}`)
      expect(new URL(page.url()).pathname).toBe('/')

      // Resources: the Api's row turns Running · Healthy (live over SSE).
      const apiRow = page.locator('tr.res').filter({ has: page.locator('td:first-child', { hasText: /^api$/ }) })
      await apiRow.locator('.state', { hasText: 'Running · Healthy' }).waitFor({ timeout: 30_000 })
      await screenshot(page, 'dashboard-resources')

      // Console logs: streamed lines of the Api's process.
      await apiRow.getByRole('link', { name: 'logs' }).click()
      expect(new URL(page.url()).pathname).toBe('/consolelogs/resource/api')
      await page.locator('#log').getByText('Now listening on', { exact: false }).first().waitFor({ timeout: 15_000 })
      expect(Number((await page.locator('#logs-count').textContent())?.split(' ')[0])).toBeGreaterThan(0)
      await screenshot(page, 'dashboard-console-logs')

      // A request the Api traces, marked by a path nobody else uses.
      const marker = `e2e-dashboard-probe-${Date.now()}`
      const response = await fetch(`${baseUrl()}/api/v1/${marker}`)
      expect(response.status).toBe(404)

      // Traces: find it by the marker (an attribute of the server span), open its waterfall.
      await page.getByRole('link', { name: 'Traces' }).click()
      await page.getByPlaceholder('span name or attribute contains').fill(marker)
      const traceRow = page.locator('#tr-rows tr[data-trace]')
      // The page asks every 2 s; the Api exports every second in Development.
      await expect.poll(() => traceRow.count(), { timeout: 30_000, interval: 250 }).toBe(1)
      await expect.poll(() => traceRow.locator('.chip').allTextContents(), { timeout: 10_000, interval: 250 }).toEqual(['api'])
      await screenshot(page, 'dashboard-traces')

      await traceRow.getByRole('link').click()
      expect(new URL(page.url()).pathname).toMatch(/^\/traces\/detail\/[0-9a-f]{32}$/)
      const span = page.locator('#waterfall tr.span-row').first()
      await span.waitFor()
      expect(await span.textContent()).toContain('Server')
      await span.click()
      await page.locator('#waterfall .kv').getByText(`/api/v1/${marker}`).waitFor()
      await page.locator('#waterfall .kv').getByText('404', { exact: true }).waitFor()
      await screenshot(page, 'dashboard-trace-waterfall')

      // The trace's link to its logs filters the structured logs by its id.
      await page.getByRole('link', { name: 'structured logs of this trace' }).click()
      expect(new URL(page.url()).searchParams.get('traceId')).toMatch(/^[0-9a-f]{32}$/)
      await page.locator('#sl-trace').waitFor()

      // Structured logs and metrics from the same receiver.
      await page.getByRole('link', { name: 'Structured logs', exact: true }).click()
      await page.locator('#sl-rows tr[data-log]').first().waitFor({ timeout: 15_000 })
      await screenshot(page, 'dashboard-structured-logs')
      await page.getByRole('link', { name: 'Metrics' }).click()
      await page.getByTestId('instrument-name').waitFor({ timeout: 15_000 })
      await page.locator('svg.chart').first().waitFor({ timeout: 15_000 })
      await screenshot(page, 'dashboard-metrics')

      expect(pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
