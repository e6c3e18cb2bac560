// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (no npm packages): the
// browser reads NUL-terminated JSON commands on its fd 3 and writes replies and events on fd 4.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The browser to drive: CHROMIUM, else Debian's `chromium`. */
export const chromiumPath = process.env.CHROMIUM ?? 'chromium';

export class Browser {
  #nextId = 1;
  #pending = new Map();
  #listeners = new Set();

  constructor(child, profile) {
    this.child = child;
    this.profile = profile;
    this.stderr = '';
    child.stderr.on('data', (chunk) => { this.stderr = (this.stderr + chunk).slice(-4000); });
    let buffer = Buffer.alloc(0);
    child.stdio[4].on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      let end;
      while ((end = buffer.indexOf(0)) >= 0) {
        const message = JSON.parse(buffer.subarray(0, end).toString('utf8'));
        buffer = buffer.subarray(end + 1);
        if (message.id !== undefined) {
          const waiter = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.error) waiter?.reject(new Error(`${waiter.method}: ${message.error.message}`));
          else waiter?.resolve(message.result);
        } else {
          for (const listener of this.#listeners) listener(message);
        }
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', resolve));
  }

  /** Starts headless Chromium with a fresh profile. */
  static async launch() {
    const profile = mkdtempSync(join(tmpdir(), 'orchestra-chromium-'));
    const args = [
      '--headless=new', '--remote-debugging-pipe', `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check',
      '--disable-gpu', '--disable-dev-shm-usage', '--disable-extensions', '--disable-background-networking', '--disable-sync',
      '--disable-component-update', '--mute-audio', '--hide-scrollbars', 'about:blank',
    ];
    // Chromium's sandbox cannot run as root (CI runs as root).
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    const child = spawn(chromiumPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    // However the test process ends, the browser does not outlive it.
    process.on('exit', () => child.kill('SIGKILL'));
    const browser = new Browser(child, profile);
    await Promise.race([
      browser.send('Browser.getVersion'),
      browser.exited.then(() => { throw new Error(`chromium exited at start: ${browser.stderr}`); }),
    ]);
    return browser;
  }

  send(method, params = {}, sessionId) {
    const id = this.#nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.child.stdio[3].write(JSON.stringify(message) + '\0');
    });
  }

  on(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A new tab (its own sessionStorage) at `width`×`height`. */
  async newPage({ width = 1280, height = 900 } = {}) {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, targetId, sessionId);
    await Promise.all([page.send('Page.enable'), page.send('Runtime.enable'), page.send('Log.enable')]);
    await page.setViewport(width, height);
    return page;
  }

  async close() {
    try { await Promise.race([this.send('Browser.close'), new Promise((resolve) => setTimeout(resolve, 3000))]); } catch { /* gone */ }
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.exited;
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  /** Console errors, uncaught exceptions and error log entries (network ones included), in order. */
  errors = [];

  constructor(browser, targetId, sessionId) {
    this.browser = browser;
    this.targetId = targetId;
    this.sessionId = sessionId;
    this.loads = 0;
    browser.on((message) => {
      if (message.sessionId !== sessionId) return;
      const { method, params } = message;
      if (method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert')) {
        this.errors.push({ source: 'console', text: params.args.map((arg) => arg.value ?? arg.description ?? '').join(' ') });
      } else if (method === 'Runtime.exceptionThrown') {
        const details = params.exceptionDetails;
        this.errors.push({ source: 'exception', text: details.exception?.description ?? details.text });
      } else if (method === 'Log.entryAdded' && params.entry.level === 'error') {
        this.errors.push({ source: params.entry.source, text: `${params.entry.text} ${params.entry.url ?? ''}`.trim() });
      } else if (method === 'Page.loadEventFired') {
        this.loads += 1;
      }
    });
  }

  send(method, params = {}) {
    return this.browser.send(method, params, this.sessionId);
  }

  setViewport(width, height) {
    return this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  }

  /** Emulates `prefers-color-scheme`. */
  colorScheme(value) {
    return this.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value }] });
  }

  /** Navigates and waits for the load event (of a new document). */
  async goto(url) {
    const before = this.loads;
    const result = await this.send('Page.navigate', { url });
    if (result.errorText) throw new Error(`navigation to ${url} failed: ${result.errorText}`);
    if (result.loaderId === undefined) return; // same document (only the fragment changed): no load event
    await this.waitFor(`the load event of ${url}`, () => this.loads > before);
  }

  /** The value of `expression` (awaited), evaluated in the page. */
  async evaluate(expression) {
    const result = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (result.exceptionDetails) {
      throw new Error(`in page: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    }
    return result.result.value;
  }

  /**
   * Polls until `check` (a page expression, or a Node function) is truthy, and returns its value;
   * fails with `description` and the last value when `timeout` ms pass first.
   */
  async waitFor(description, check, timeout = 15000) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = typeof check === 'function' ? await check() : await this.evaluate(check);
        if (last) return last;
      } catch (error) {
        last = error.message;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${description} (last: ${JSON.stringify(last)})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Types `text` into the focused element and presses Enter, as a keyboard would. */
  async type(text, { enter = false } = {}) {
    await this.send('Input.insertText', { text });
    if (enter) await this.press('Enter');
  }

  async press(key) {
    const codes = { Enter: 13, Tab: 9, ' ': 32, Escape: 27 };
    const base = { key, code: key === ' ' ? 'Space' : key, windowsVirtualKeyCode: codes[key], nativeVirtualKeyCode: codes[key] };
    await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...base, ...(key === 'Enter' ? { text: '\r' } : key === ' ' ? { text: ' ' } : {}) });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  }

  /** Clicks the centre of the element `selector` names with the mouse. */
  async click(selector) {
    const box = await this.waitFor(`${selector} to be visible`, `(() => {
      const element = document.querySelector(${JSON.stringify(selector)});
      if (!element) return null;
      element.scrollIntoView({ block: 'center', inline: 'center' });
      const r = element.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    })()`);
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    }
  }

  async screenshot(path) {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png' });
    writeFileSync(path, Buffer.from(data, 'base64'));
  }

  close() {
    return this.browser.send('Target.closeTarget', { targetId: this.targetId });
  }
}
