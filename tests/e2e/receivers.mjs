// Local webhook receivers for the alert tests: node http servers on
// 127.0.0.1 (a free port each) that record every request they get, so a test
// can say exactly what the page sent and how many times.
//
//   cors     answers preflights (OPTIONS) and POSTs with Access-Control-Allow-Origin: *
//   plain    answers 200 without any CORS header: only a `no-cors` request gets through
//   failing  answers 500 to every POST, with CORS headers so the page can read the status
//   down     a URL on a port that was bound then closed: nothing listens there
import { createServer } from "node:http";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, OPTIONS",
  "access-control-allow-headers": "*",
  "access-control-max-age": "0",
};

/** How each receiver answers: [status, headers, body] for a request's method. */
const ANSWERS = {
  cors: (method) => (method === "OPTIONS" ? [204, CORS, ""] : [200, { ...CORS, "content-type": "text/plain" }, "ok"]),
  plain: () => [200, { "content-type": "text/plain" }, "ok"],
  // A fixed body: a server that echoed the request's URL would put the secret in the page's error.
  failing: (method) => (method === "OPTIONS" ? [204, CORS, ""] : [500, { ...CORS, "content-type": "text/plain" }, "receiver is broken"]),
};

/**
 * Starts one receiver (`cors`, `plain` or `failing`). Each request is recorded
 * as {method, path, headers, body} once its body has arrived.
 */
export async function startReceiver(kind) {
  const answer = ANSWERS[kind];
  if (!answer) throw new Error(`no receiver kind ${kind}`);
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const [status, headers, body] = answer(req.method);
      res.writeHead(status, headers).end(body);
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    kind, origin, requests,
    /** A webhook URL on this receiver; `name` makes it unique to one test. */
    hook: (name) => `${origin}/hook/${name}`,
    /** The requests that came to `url`'s path (every request when omitted). */
    at: (url) => (url === undefined ? requests : requests.filter((r) => r.path === new URL(url).pathname + new URL(url).search)),
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

/** A URL where nothing listens: a port bound, then closed again. */
export async function downUrl(path = "/hook/down") {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return `http://127.0.0.1:${port}${path}`;
}

/** The three receivers and a down URL, with one closer. */
export async function startReceivers() {
  const [cors, plain, failing, down] = await Promise.all([
    startReceiver("cors"), startReceiver("plain"), startReceiver("failing"), downUrl(),
  ]);
  return {
    cors, plain, failing, down,
    close: () => Promise.all([cors.close(), plain.close(), failing.close()]),
  };
}

/**
 * A recorded request's alert: JSON bodies parsed, a form body's `payload`
 * field parsed (Slack from a browser), anything else as text.
 */
export function alertBody(request) {
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(request.body).get("payload");
    if (payload === null) throw new Error(`a form body without a payload field: ${request.body.slice(0, 200)}`);
    return JSON.parse(payload);
  }
  if (type.startsWith("application/json")) return JSON.parse(request.body);
  return request.body;
}
