/** The HTML report opens in headless Chromium with a row per area and a page per failure. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Expectations } from "../../conformance/expectations.js";
import { htmlReport } from "../../conformance/html.js";
import { classify } from "../../conformance/runner.js";
import type { Scenario } from "../../conformance/scenario.js";

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (!chromium) console.warn("html.test: skipped, no chromium (npm test installs Debian's package when run as root)");
const maybe = chromium ? test : test.skip;

const sc = (id: string) => ({ id, description: "", features: ["tasks"], clock: "virtual", main: [] }) as Scenario;
const t = (...lines: string[]) => ({ kind: "trace" as const, lines });

maybe("the report renders in headless Chromium", () => {
  const ex = new Expectations([{ ids: ["beta/known"], status: "FAIL", reason: "a documented <difference>" }]);
  const results = [
    classify(sc("alpha/ok"), t("a"), t("a"), ex),
    classify(sc("alpha/broken"), t("0.0000 1 main start"), t("0.0000 2 main start"), ex),
    classify(sc("beta/known"), t("a"), t("b"), ex),
    classify(sc("beta/crash"), t("a"), { kind: "error", message: "ScenarioError: boom" }, ex),
  ];
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  const file = join(dir, "report.html");
  writeFileSync(file, htmlReport(results, { reference: "cpython 3.11", mode: "live", seconds: 1.5 }));
  const dom = execFileSync(chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", `file://${file}#s-generator-alpha_broken`],
    { encoding: "utf8", timeout: 60000, stdio: ["ignore", "pipe", "ignore"] });
  expect(dom.match(/<tr data-area="/g)).toHaveLength(2);
  expect(dom).toMatch(/id="summary" data-total="4" data-pass="1" data-parity="25.0"/);
  expect(dom).toContain('<section id="s-generator-alpha_broken" class="page" data-status="fail">');
  expect(dom).toContain('<span class="del">-0.0000 1 main start</span>');
  expect(dom).toContain('<span class="add">+0.0000 2 main start</span>');
  expect(dom).toContain("a documented &lt;difference&gt;");
  expect(dom).toContain("ScenarioError: boom");
  expect(dom).not.toContain('id="s-generator-alpha_ok"'); // passing scenarios get no page
}, 90000);
