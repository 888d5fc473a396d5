import { existsSync } from 'node:fs'
import { chromium } from 'playwright'

/**
 * Flags that let Chromium run headless as root on a machine without internet:
 * without the networking ones it keeps trying to reach Google's services.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Where to find Chromium: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own cache. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium']
  try {
    candidates.push(chromium.executablePath())
  } catch {
    // Playwright throws when it has no browser of its own: fine, it is the last resort.
  }
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!))
}

/** Like {@link findChromium}, but fails with instructions when there is none. */
export function requireChromium(): string {
  const path = findChromium()
  if (path) return path
  throw new Error(
    'Pollen\'s browser tests need Chromium and found none.\n' +
      '  Debian/Ubuntu: sudo apt-get install -y chromium   (gives /usr/bin/chromium)\n' +
      '  or point CHROMIUM_PATH at any Chromium or Chrome binary.',
  )
}
