// Shared set-up for the end-to-end tests: a static server for dist/ (mounted
// under a sub-path, to prove the page uses relative URLs), Debian's Chromium
// driven by playwright-core, and a page object that finds elements by data-testid.
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const DIST = join(ROOT, "dist");
export const SUBPATH = "/some/sub/path/";
export const SCREENSHOTS = join(ROOT, "target", "screenshots");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm",
  ".css": "text/css", ".csv": "text/csv", ".toml": "text/plain", ".md": "text/plain",
};

/** Serves dist/ at SUBPATH on 127.0.0.1 (a free port); records every request path. */
export async function serveDist() {
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const url = new URL(req.url, "http://x");
    if (!url.pathname.startsWith(SUBPATH)) { res.writeHead(404).end(); return; }
    let rel = normalize(decodeURIComponent(url.pathname.slice(SUBPATH.length))).replace(/^(\.\.[/\\])+/, "");
    if (rel === "" || rel === ".") rel = "index.html";
    try {
      const body = await readFile(join(DIST, rel));
      res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}${SUBPATH}`;
  return { url, requests, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Debian Chromium with the flags this closed network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** The page as a test sees it: elements by data-testid, plus the common steps. */
export class TunaPage {
  constructor(page) {
    this.page = page;
  }
  el(id) {
    return this.page.getByTestId(id);
  }
  async open(url) {
    await this.page.goto(url);
    await this.el("run-button").waitFor();
  }
  async loadDemo() {
    await this.el("demo-button").click();
    await this.page.getByText("randhie_targets.csv").first().waitFor();
  }
  async setConfig(text) {
    await this.el("config-editor").fill(text);
  }
  async config() {
    return this.el("config-editor").inputValue();
  }
  async pick(which, path) {
    await this.el(`${which}-file`).setInputFiles(path);
  }
  async run() {
    await this.el("run-button").click();
  }
  state() {
    return this.el("progress").getAttribute("data-state");
  }
  async waitForState(state, timeout = 120_000) {
    await this.page.waitForSelector(`[data-testid="progress"][data-state="${state}"]`, { timeout });
  }
  /** Every candidate's cell in column `col` of the results table, as text. */
  async column(col) {
    return this.page.locator(`[data-testid="results-table"] td[data-col="${col}"]`).allTextContents();
  }
  async screenshot(name) {
    await mkdir(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}
