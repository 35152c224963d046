// Accessibility audit in a real browser: axe-core (WCAG 2.1 A and AA rules) on every page of a
// page list, in each language and at a phone and a desktop viewport, plus the keyboard checks
// axe cannot make (a skip link first in the tab order, a visible focus style, no horizontal
// scroll at 360 px) and no duplicate id in the DOM (axe-core's WCAG tags no longer check it,
// and a label, aria-describedby or skip link pointing at a repeated id may land on the wrong
// element). Driven by bench/a11y.py, which serves the app and writes the page list:
//
//     node bench/a11y.mjs <input.json> <output.json>
//
// input.json: {"base": "http://127.0.0.1:8000", "modules": "<dir holding node_modules>",
//              "chromium": "/usr/bin/chromium", "chromium_args": ["--headless", ...],
//              "language_cookie": "django_language",
//              "sessions": {"staff": "<sessionid>", ...},
//              "pages": [{"name": ..., "path": ..., "as": "anon"|"staff"|..., "submit": selector,
//                         "combinations": [...] (optional: this page's own)}],
//              "combinations": [["es-co", "360x640"], ...] (optional; default: all four),
//              "tabs": 2 (optional: pages audited at once)}
// Every (page, language, viewport) run is a job; "tabs" workers take jobs from one queue, each
// with one reused tab per role and language (the viewport is resized between jobs).
// A page with "submit" is loaded, then that form is posted as it stands (browser validation
// off), and the answer — usually the form again with its errors — is what is audited.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [inputPath, outputPath] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputPath, "utf8"));
const require = createRequire(path.join(input.modules, "package.json"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeVersion = require("axe-core/package.json").version;

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VIEWPORTS = [
  { name: "360x640", width: 360, height: 640 },
  { name: "1280x800", width: 1280, height: 800 },
];
const LANGUAGES = ["es-co", "en"];
const SCROLL_TOLERANCE = 1; // px: sub-pixel rounding, not a scroll bar
const FOCUS_STEPS = 6; // tab stops checked for a visible focus style

async function keyboardChecks(page, viewport) {
  const found = [];
  // Start the tab order from the top, even when the page moved focus (autofocus).
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute("tabindex");
    window.scrollTo(0, 0);
  });
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const href = el?.getAttribute?.("href") || "";
    const target = href.startsWith("#") ? document.getElementById(href.slice(1)) : null;
    const box = el?.getBoundingClientRect();
    return {
      isSkip: el?.tagName === "A" && !!target,
      visible: !!box && box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0,
      text: el?.textContent?.trim().slice(0, 60) || el?.tagName || "",
    };
  });
  if (!first.isSkip) {
    found.push({ id: "kbd-skip-link", help: `First tab stop is not a skip link (${first.text})` });
  } else if (!first.visible) {
    found.push({ id: "kbd-skip-link", help: "The skip link does not appear when focused" });
  }
  for (let step = 0; step < FOCUS_STEPS; step++) {
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow && style.boxShadow !== "none";
      return { visible: outline || shadow, what: el.outerHTML.slice(0, 80) };
    });
    if (focus && !focus.visible) {
      found.push({ id: "kbd-focus-visible", help: `No visible focus style on ${focus.what}` });
      break;
    }
    await page.keyboard.press("Tab");
  }
  if (viewport.width === 360) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > viewport.width + SCROLL_TOLERANCE) {
      found.push({ id: "kbd-reflow", help: `Horizontal scroll at 360 px (scrollWidth ${width})` });
    }
  }
  return found;
}

// Ids used more than once in the document, each once.
function duplicateIds() {
  const seen = new Set();
  const repeated = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    if (seen.has(el.id)) repeated.add(el.id);
    seen.add(el.id);
  }
  return [...repeated];
}

async function auditPage(page, spec, viewport) {
  const response = await page.goto(input.base + spec.path, { waitUntil: "load" });
  let status = response ? response.status() : 0;
  if (spec.submit) {
    const [answer] = await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.evaluate((selector) => {
        const form = document.querySelector(selector);
        form.noValidate = true;
        HTMLFormElement.prototype.submit.call(form);
      }, spec.submit),
    ]);
    status = answer ? answer.status() : 0;
  }
  // Evaluated through the DevTools protocol: an inline <script> (addScriptTag) is refused by the
  // pages' Content-Security-Policy.
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    TAGS,
  );
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
  const keyboard = await keyboardChecks(page, viewport);
  const repeated = await page.evaluate(duplicateIds);
  if (repeated.length) {
    keyboard.push({ id: "duplicate-id", help: `Duplicate id: ${repeated.slice(0, 10).join(", ")}` });
  }
  return { status, url: page.url().replace(input.base, ""), violations, keyboard };
}

function describe(outcome, tag) {
  const problems = outcome.violations.length + outcome.keyboard.length;
  if (outcome.error) return [`ERROR ${tag}: ${outcome.error.split("\n")[0]}`];
  if (problems === 0) return [`ok    ${tag}`];
  const lines = [`FAIL  ${tag}`];
  for (const v of outcome.violations) {
    lines.push(`        ${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}`);
    for (const n of v.nodes.slice(0, 5)) lines.push(`          - ${n.target}`);
  }
  for (const k of outcome.keyboard) lines.push(`        ${k.id}: ${k.help}`);
  return lines;
}

// One worker: takes jobs until none is left, with a context (cookies: the role's session, the
// language) and one tab per role and language, kept for the next job that needs them.
async function worker(browser, jobs, runs) {
  const tabs = {};
  try {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const { spec, language, viewport, order } = job;
      const role = spec.as || "anon";
      const key = `${role} ${language}`;
      if (!tabs[key]) {
        const context = await browser.newContext({
          viewport: { width: viewport.width, height: viewport.height },
        });
        const cookies = [{ name: input.language_cookie, value: language, url: input.base }];
        if (input.sessions[role]) {
          cookies.push({ name: "sessionid", value: input.sessions[role], url: input.base });
        }
        await context.addCookies(cookies);
        tabs[key] = await context.newPage();
      }
      let page = tabs[key];
      let outcome;
      try {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        outcome = await auditPage(page, spec, viewport);
      } catch (error) {
        outcome = { status: 0, url: spec.path, violations: [], keyboard: [], error: String(error) };
        // A crashed or stuck tab is not reused.
        const context = page.context();
        await page.close().catch(() => {});
        tabs[key] = page = await context.newPage();
      }
      const tag = `[${language} ${viewport.name}] ${spec.name} (${outcome.status} ${outcome.url})`;
      console.log(describe(outcome, tag).join("\n"));
      const run = { page: spec.name, path: spec.path, language, viewport: viewport.name };
      runs.push({ order, ...run, ...outcome });
    }
  } finally {
    for (const page of Object.values(tabs)) await page.context().close();
  }
}

const browser = await chromium.launch({
  executablePath: input.chromium,
  headless: true,
  args: input.chromium_args || [],
});
const browserVersion = browser.version();
const runs = [];
try {
  // Every language at every viewport, or the combinations input.combinations names
  // ([["es-co", "360x640"], ...]), or a page's own.
  const chosen =
    input.combinations ||
    LANGUAGES.flatMap((language) => VIEWPORTS.map((viewport) => [language, viewport.name]));
  const jobs = [];
  chosen.forEach(([language, name], combination) => {
    const viewport = VIEWPORTS.find((v) => v.name === name);
    input.pages.forEach((spec, index) => {
      const own = spec.combinations || chosen;
      if (own.some(([l, n]) => l === language && n === name)) {
        jobs.push({ spec, language, viewport, order: combination * input.pages.length + index });
      }
    });
  });
  const tabs = Math.max(1, input.tabs || 2);
  await Promise.all(Array.from({ length: tabs }, () => worker(browser, jobs, runs)));
} finally {
  await browser.close();
}
runs.sort((a, b) => a.order - b.order);
for (const run of runs) delete run.order;
writeFileSync(
  outputPath,
  JSON.stringify({ axe: axeVersion, browser: browserVersion, tags: TAGS, runs }, null, 1),
);
