/**
 * How the browser tests start Debian's chromium (`apt-get install chromium`; playwright-core downloads no browser):
 * headless, with nothing that reaches the network on its own.
 */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
};

/** A fake microphone (a beep) that needs no permission prompt, for the pages that record a caller or a take. */
export const FAKE_MICROPHONE = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
