// Trunk's post-build hook: the page's Content-Security-Policy (a <meta> in
// index.html, so it holds on any static host) allows scripts from the page's
// own origin only. Trunk writes one inline script, the loader of the wasm
// app, whose text names the build's hashed files; this puts that script's
// SHA-256 into the policy in place of the placeholder, so it and nothing
// else inline may run.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PLACEHOLDER = "'inline-scripts-of-this-build'";
const file = join(process.env.TRUNK_STAGING_DIR ?? "dist", "index.html");
const html = readFileSync(file, "utf8");
if (!html.includes(PLACEHOLDER)) throw new Error(`${file}: the Content-Security-Policy has no ${PLACEHOLDER} to fill`);
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (inline.length === 0) throw new Error(`${file}: no inline script to allow (has Trunk's loader changed?)`);
const hashes = inline.map((text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`);
writeFileSync(file, html.replace(PLACEHOLDER, hashes.join(" ")));
console.log(`Content-Security-Policy: allowed ${hashes.length} inline script(s) by hash`);
