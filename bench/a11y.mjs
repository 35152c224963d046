// Accessibility audit in a real browser: axe-core (WCAG 2.1 A and AA rules) on every page of a
// page list, in each language and at a phone and a desktop viewport, plus the keyboard checks
// axe cannot make (a skip link first in the tab order, a visible focus style, no horizontal
// scroll at 360 px). Driven by bench/a11y.py, which serves the app and writes the page list:
//
//     node bench/a11y.mjs <input.json> <output.json>
//
// input.json: {"base": "http://127.0.0.1:8000", "modules": "<dir holding node_modules>",
//              "chromium": "/usr/bin/chromium", "chromium_args": ["--headless", ...],
//              "language_cookie": "django_language",
//              "sessions": {"staff": "<sessionid>", ...},
//              "pages": [{"name": ..., "path": ..., "as": "anon"|"staff"|..., "submit": selector}],
//              "combinations": [["es-co", "360x640"], ...] (optional; default: all four)}
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
  return { status, url: page.url().replace(input.base, ""), violations, keyboard };
}

// One (language, viewport) combination: its own browser contexts, one per role.
async function auditCombination(browser, language, viewport) {
  const runs = [];
  const lines = [];
  const contexts = {};
  for (const spec of input.pages) {
    const role = spec.as || "anon";
    if (!contexts[role]) {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
      });
      const cookies = [{ name: input.language_cookie, value: language, url: input.base }];
      if (input.sessions[role]) {
        cookies.push({ name: "sessionid", value: input.sessions[role], url: input.base });
      }
      await context.addCookies(cookies);
      contexts[role] = context;
    }
    const page = await contexts[role].newPage();
    let outcome;
    try {
      outcome = await auditPage(page, spec, viewport);
    } catch (error) {
      outcome = { status: 0, url: spec.path, violations: [], keyboard: [], error: String(error) };
    } finally {
      await page.close();
    }
    runs.push({ page: spec.name, path: spec.path, language, viewport: viewport.name, ...outcome });
    const problems = outcome.violations.length + outcome.keyboard.length;
    const tag = `[${language} ${viewport.name}] ${spec.name} (${outcome.status} ${outcome.url})`;
    if (outcome.error) {
      lines.push(`ERROR ${tag}: ${outcome.error.split("\n")[0]}`);
    } else if (problems === 0) {
      lines.push(`ok    ${tag}`);
    } else {
      lines.push(`FAIL  ${tag}`);
      for (const v of outcome.violations) {
        lines.push(`        ${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}`);
        for (const n of v.nodes.slice(0, 5)) lines.push(`          - ${n.target}`);
      }
      for (const k of outcome.keyboard) lines.push(`        ${k.id}: ${k.help}`);
    }
  }
  for (const context of Object.values(contexts)) await context.close();
  console.log(lines.join("\n"));
  return runs;
}

const browser = await chromium.launch({
  executablePath: input.chromium,
  headless: true,
  args: input.chromium_args || [],
});
const browserVersion = browser.version();
let runs;
try {
  // The combinations run side by side (the server has several workers): every language at every
  // viewport, or the ones input.combinations names ([["es-co", "360x640"], ...]).
  const chosen =
    input.combinations ||
    LANGUAGES.flatMap((language) => VIEWPORTS.map((viewport) => [language, viewport.name]));
  const combinations = chosen.map(([language, name]) =>
    auditCombination(browser, language, VIEWPORTS.find((viewport) => viewport.name === name)),
  );
  runs = (await Promise.all(combinations)).flat();
} finally {
  await browser.close();
}
writeFileSync(
  outputPath,
  JSON.stringify({ axe: axeVersion, browser: browserVersion, tags: TAGS, runs }, null, 1),
);
