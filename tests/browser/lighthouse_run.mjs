// Lighthouse (mobile, its default configuration) on each URL, one Chrome for all of them.
//   node lighthouse_run.mjs OUT.json CATEGORIES URL...
// CATEGORIES: comma-separated (accessibility,best-practices,seo,performance). Chrome is
// CHROME_PATH (Debian's chromium). Writes, per URL: the category scores, the Cumulative Layout
// Shift, the weighted audits that did not pass, and the seconds the run took.
import { writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const [out, categoryList, ...urls] = process.argv.slice(2);
const categories = categoryList.split(",");

function failing(lhr) {
  const found = [];
  for (const category of categories) {
    for (const ref of lhr.categories[category].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        const items = (audit.details && audit.details.items) || [];
        const nodes = items.slice(0, 3).map((item) => (item.node && (item.node.snippet || item.node.selector)) || "");
        found.push({ category, id: ref.id, title: audit.title, score: audit.score, value: audit.displayValue || "",
          nodes: nodes.filter(Boolean) });
      }
    }
  }
  return found;
}

const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: FLAGS });
const results = [];
try {
  for (const url of urls) {
    const started = Date.now();
    // The layout shift audit belongs to performance: asked for by name, it runs with the others.
    const run = await lighthouse(url, { port: chrome.port, logLevel: "error", onlyCategories: categories,
      onlyAudits: ["cumulative-layout-shift"] });
    const lhr = run.lhr;
    results.push({
      url,
      scores: Object.fromEntries(categories.map((c) => [c, lhr.categories[c].score])),
      cls: lhr.audits["cumulative-layout-shift"].numericValue ?? null,
      failing: failing(lhr),
      error: lhr.runtimeError ? lhr.runtimeError.message : null,
      seconds: (Date.now() - started) / 1000,
    });
  }
} finally {
  await chrome.kill();
}
writeFileSync(out, JSON.stringify(results, null, 1));
