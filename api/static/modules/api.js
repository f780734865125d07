// The HTTP API client: bearer token, JSON in and out, problem+json errors as ApiError.

const TOKEN_KEY = "skillgraph.token";
const RETRIES_WHILE_STARTING = 20;

export class ApiError extends Error {
  constructor(status, title, detail, body) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title || `HTTP ${status}`;
    this.detail = detail || "";
    this.body = body || {};
  }

  /** One readable sentence for the page. */
  get readable() {
    if (this.status === 0) return `The service cannot be reached: ${this.detail}`;
    if (this.status === 403) return `Not allowed: ${this.detail || "you may not see this."}`;
    if (this.status === 404) return `Not found: ${this.detail || "no such record."}`;
    if (this.status >= 500) return `The service had a problem (${this.status} ${this.title}): ${this.detail}`;
    return this.detail ? `${this.title}: ${this.detail}` : this.title;
  }
}

/** What the token says about its holder (not verified here: the API verifies every call). */
export function readToken(token) {
  const parts = String(token || "").trim().split(".");
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
    const claims = JSON.parse(atob(padded));
    if (typeof claims.sub !== "string" || typeof claims.role !== "string") return null;
    return { subject: claims.sub, role: claims.role, expires: Number(claims.exp) || null };
  } catch {
    return null;
  }
}

export const session = {
  get token() {
    return window.sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) window.sessionStorage.setItem(TOKEN_KEY, value);
    else window.sessionStorage.removeItem(TOKEN_KEY);
  },
};

let onUnauthenticated = () => {};

/** Called with the ApiError when a call answers 401 (bad or expired token). */
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

/**
 * Call the API. `options`: method, body (JSON), auth (default true), query (object).
 * Retries while the engine is still loading (503 with Retry-After).
 */
export async function call(path, options = {}) {
  const { method = "GET", body, auth = true, query } = options;
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const headers = { Accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`;
  for (let attempt = 0; ; attempt += 1) {
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError(0, "Network error", String(err && err.message ? err.message : err));
    }
    if (response.status === 503 && attempt < RETRIES_WHILE_STARTING) {
      const wait = Number(response.headers.get("Retry-After")) || 2;
      await sleep(Math.min(wait, 5) * 1000);
      continue;
    }
    const data = await parse(response);
    if (response.ok) return data;
    const error = new ApiError(response.status, data && data.title, data && data.detail, data);
    if (response.status === 401 && auth) onUnauthenticated(error);
    throw error;
  }
}

async function parse(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { title: response.statusText, detail: text.slice(0, 300) };
  }
}

/** Every page of a paged list (items, total). */
export async function all(path, query = {}, pageSize = 200) {
  const items = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await call(path, { query: { ...query, offset, limit: pageSize } });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/** Run `fn` over `values` with at most `limit` calls in flight. */
export async function mapLimited(values, limit, fn) {
  const results = new Array(values.length);
  let next = 0;
  async function worker() {
    while (next < values.length) {
      const index = next++;
      results[index] = await fn(values[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return results;
}
