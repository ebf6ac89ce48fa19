// How every headless Chromium of this repository starts: the Playwright e2e suite (playwright.config.ts)
// and bench:web / bench:web-ab (bench/web-browser.ts). Debian's Chromium, never a downloaded browser.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium 156 builds the new window's omnibox popup as WebUI (chrome://omnibox-popup.top-chrome/ and
 * its AI-mode page, `browser_ui` targets) in a renderer process of its own, for every fresh browser
 * context: ~1 s of JavaScript parsed and run beside the page on this machine's 2 cores. A user's
 * window built its omnibox long before they open a page, and that renderer then idles (measured: 10–20
 * ms of its CPU during a cold /trends once settled), so it is no part of what a user waits for. These
 * two features are the smallest set that removes both targets and the process (WebUIOmniboxPopup alone
 * leaves the AI-mode page, WebUIOmniboxAimPopup alone the popup; PreloadTopChromeWebUI and
 * WebUIOmniboxFullPopup change nothing here). */
const NO_OMNIBOX_WEBUI = '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  // No requests to Google's services beside the page's (updates, sync, QUIC probes).
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  NO_OMNIBOX_WEBUI,
];

/** One line for a benchmark's output: the flags, and why the omnibox one is there. */
export function chromiumLaunchNote(): string {
  return (
    `Chromium flags: ${CHROMIUM_ARGS.join(' ')}\n` +
    `  (${NO_OMNIBOX_WEBUI.slice('--disable-features='.length)} off: the window's omnibox popup WebUI is not built in a ` +
    `second renderer beside each fresh context's page, as a user's window built it long before; the page itself is unchanged)`
  );
}
