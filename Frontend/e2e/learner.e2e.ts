import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrl, launchBrowser, newPhonePage, screenshot } from './browser'
import { writeGeneratedSpeechWav } from './generated-audio'

// One learner for the whole file: registered by the first test, reused by the others.
const learner = {
  email: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
  password: 'Correct-Horse-42!',
  displayName: `E2E ${Math.random().toString(36).slice(2, 6)}`,
}

let browser: Browser
let registered = false

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

async function readXp(page: Page): Promise<number> {
  await page.goto('/profile')
  const text = await page.getByTestId('xp').textContent({ timeout: 15_000 })
  return Number((text ?? '').replace(/[^0-9]/g, ''))
}

/** Registers the learner through the Api when the registration test has not (e.g. a single test run with -t). */
async function ensureRegistered() {
  if (registered) return
  const response = await fetch(`${baseUrl()}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(learner),
  })
  if (response.status !== 201) throw new Error(`Registering the e2e learner failed: ${response.status} ${await response.text()}`)
  registered = true
}

async function logIn(page: Page) {
  await ensureRegistered()
  await page.goto('/login')
  await page.getByLabel('Email').fill(learner.email)
  await page.getByLabel('Password').fill(learner.password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Your decks' }).waitFor()
}

describe('a learner in the browser', () => {
  it('registers, studies five cards and sees the XP rise', async () => {
    const { context, page, pageErrors } = await newPhonePage(browser)
    await page.goto('/register')
    await page.getByLabel('Display name').fill(learner.displayName)
    await page.getByLabel('Email').fill(learner.email)
    await page.getByLabel('Password').fill(learner.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Your decks' }).waitFor()
    registered = true
    await screenshot(page, '01-decks-after-register')

    const xpBefore = await readXp(page)

    await page.goto('/')
    // The seeded "Greek basics" deck has 200+ cards; any deck will do where the seed differs.
    await page.locator('.deck').first().waitFor()
    const greek = page.locator('.deck').filter({ hasText: 'Greek basics' })
    const deck = (await greek.count()) > 0 ? greek.first() : page.locator('.deck').first()
    await deck.getByRole('link', { name: 'Study' }).click()
    await page.getByText(/^Card 1 of \d+$/).waitFor()
    for (let card = 1; card <= 5; card++) {
      await page.keyboard.press('Space')
      await page.getByTestId('card-back').waitFor()
      if (card === 1) await screenshot(page, '02-study-card-flipped')
      await page.keyboard.press('4')
      // The next card (or the end of the session) shows once the review is saved.
      await page.getByText(new RegExp(`^Card ${card + 1} of|^Session complete$`)).first().waitFor()
    }
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Next review/)
    await screenshot(page, '03-study-after-five-reviews')

    // XP is awarded by a background task: wait for it to show, within a bound.
    await expect.poll(() => readXp(page), { timeout: 20_000, interval: 500 }).toBeGreaterThan(xpBefore)
    await screenshot(page, '04-profile-xp-risen')
    expect(pageErrors).toEqual([])
    await context.close()
  })

  it('shows an error for a wrong password and stays on the login page', async () => {
    await ensureRegistered()
    const { context, page } = await newPhonePage(browser)
    await page.goto('/login')
    await page.getByLabel('Email').fill(learner.email)
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Log in' }).click()

    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/\w/)
    expect(new URL(page.url()).pathname).toBe('/login')
    await screenshot(page, '05-login-wrong-password')
    await context.close()
  })

  it('uploads a generated WAV and shows the analysis', async () => {
    const { context, page, pageErrors } = await newPhonePage(browser)
    await logIn(page)
    await page.locator('main').getByRole('link', { name: 'Speak' }).first().click()
    await page.getByRole('heading', { name: 'Say it out loud' }).waitFor()

    await page.getByTestId('audio-file').setInputFiles(writeGeneratedSpeechWav())
    await page.getByRole('button', { name: 'Analyse' }).click()

    await page.getByRole('heading', { name: 'Your analysis' }).waitFor({ timeout: 60_000 })
    expect(await page.locator('.analysis__row').count()).toBeGreaterThan(0)
    await screenshot(page, '06-speaking-analysis-upload')
    expect(pageErrors).toEqual([])
    await context.close()
  })

  it("records from the (fake) microphone and shows the analysis", async () => {
    const { context, page, pageErrors } = await newPhonePage(browser)
    await logIn(page)
    await page.goto('/speaking')
    await page.locator('main').getByRole('link').first().click()

    await page.getByRole('button', { name: 'Record', exact: true }).click()
    await page.getByText(/Recording \d/).waitFor()
    // The recording's length, not a readiness wait: Chromium's fake microphone beeps about once a second.
    await page.getByText(/Recording (1\.[5-9]|[2-9]\.|\d{2,}\.)/).waitFor()
    await screenshot(page, '07-speaking-recording')
    await page.getByRole('button', { name: 'Stop' }).click()
    await page.getByRole('button', { name: 'Analyse' }).click()

    await page.getByRole('heading', { name: 'Your analysis' }).waitFor({ timeout: 60_000 })
    await screenshot(page, '08-speaking-analysis-microphone')
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
