/**
 * The console in a real browser (Debian's chromium, driven by playwright-core): a court officer is refused, a
 * supervisor of 豫02 sees a sandbox agency turn red within seconds of going down, drills into its requests, and
 * replays a list partner's dead letter; GraphiQL loads; nothing is fetched from outside the hub. With
 * CONSOLE_SCREENSHOTS=<folder> (npm run console:screenshots) each page is saved there at 1366×768.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_DIST } from "../../gateway/http/staticAssets.js";
import { startPartner, type RunningPartner } from "../../sandbox/partners/partnerAgency.js";
import { residentId } from "../support/identities.js";
import { registerCase } from "../support/measures.js";
import { facts, RESTRICT, registerPartner } from "../support/sanctions.js";
import { registerCaseNow, sealExpiringIn } from "../support/supervision.js";
import { eventually, startTestHub, type TestHub } from "../support/testHub.js";

const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let t: TestHub;
let aviation: RunningPartner;
let context: BrowserContext;
let page: Page;
let profile: string;
let officer: string;
/** Every URL the browser asked for outside the hub (all refused). */
const external: string[] = [];

async function shot(name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

async function signIn(token: string): Promise<void> {
  await page.goto(`${t.hub.url}/console/`);
  await page.getByLabel("访问令牌").fill(token);
  await page.getByRole("button", { name: "登录" }).click();
}

async function signOut(): Promise<void> {
  await page.getByRole("button", { name: "退出" }).click();
  await page.getByLabel("访问令牌").waitFor();
}

beforeAll(async () => {
  if (!existsSync(join(CONSOLE_DIST, "index.html"))) {
    const { build } = await import("vite");
    await build({ configFile: "console/vite.config.ts" });
  }
  t = await startTestHub({
    maxAttempts: 2,
    dispatcher: { backoff: { firstMs: 100, maxMs: 500 } },
    sanctionDelivery: { sweepIntervalMs: 50, maxBackoffMs: 300, requestTimeoutMs: 1_000, maxAttempts: 2 },
  });
  officer = await t.token("豫0225", ["CASE_OFFICER"], "承办人-王");
  aviation = await startPartner("CIVIL_AVIATION", { secret: "aviation-shared-secret-for-the-tests-01" });
  await registerPartner(t, {
    code: "CIVIL_AVIATION",
    name: "民航局",
    lists: ["DISHONEST_DEBTOR", "CONSUMPTION_RESTRICTION"],
    fields: ["name", "startsOn", "expiresOn"],
    endpoint: aviation.endpoint,
    signing: "HMAC_SM3",
    secret: "aviation-shared-secret-for-the-tests-01",
  });
  profile = await mkdtemp(join(tmpdir(), "hub-console-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    acceptDownloads: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === new URL(t.hub.url).origin) return route.continue();
    external.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await aviation?.close();
  await t?.close();
});

describe("the command centre's console (执行指挥中心)", () => {
  it("refuses a court officer: the hub answers FORBIDDEN and the console says so", async () => {
    await signIn(officer);
    await expect(page.getByRole("alert").first().textContent({ timeout: 10_000 })).resolves.toContain("无权访问");
    expect(await page.getByRole("link", { name: "控制措施到期" }).count()).toBe(0);
    await signOut();
  });

  it("shows a supervisor an agency turning red within seconds, and the requests behind it", async () => {
    const { registered: healthy } = await sealExpiringIn(t, officer, 5);
    const old = await registerCase(t, officer, { debtor: residentId(), claimAmount: "1200.00" });
    await t.hub.db.sql.query(`UPDATE enforcement_case SET created_at = now() - interval '7 months' WHERE id = $1::uuid`, [old.caseId]);
    await signIn(await t.token("豫02", ["SUPERVISOR"], "督查员-李"));
    const vehicles = page.locator("[data-testid=agency-stats] tr", { hasText: "车辆管理" });
    await expect(vehicles.first().getAttribute("class", { timeout: 10_000 })).resolves.toBeNull();
    await page.getByText("加载中").waitFor({ state: "detached", timeout: 10_000 });
    await shot("agencies");

    const knobs = await fetch(`${t.sandbox.agencies.VEHICLE_REGISTRY.url}/_sandbox/knobs`, {
      method: "PUT",
      body: JSON.stringify({ down: true }),
    });
    expect(knobs.status).toBe(200);
    const failing = await registerCaseNow(t, officer);
    const downAt = Date.now();
    await page.locator("[data-testid=agency-stats] tr.failing", { hasText: "车辆管理" }).first().waitFor({ timeout: 15_000 });
    expect(Date.now() - downAt).toBeLessThan(15_000);
    await expect(vehicles.first().locator(".badge").textContent()).resolves.toBe("故障");
    await page.locator("[data-testid=stuck-requests] tbody tr", { hasText: failing }).waitFor({ timeout: 10_000 });
    await shot("agencies-failing");

    await vehicles.first().locator("a[data-testid^=drill-]").last().click();
    const rows = page.locator("[data-testid=request-rows] tbody tr");
    await rows.first().waitFor({ timeout: 10_000 });
    await expect(rows.first().textContent()).resolves.toContain(failing);
    expect(await page.locator("[data-testid=request-rows]").textContent()).not.toContain(healthy.caseNumber);
    await shot("requests");
    await fetch(`${t.sandbox.agencies.VEHICLE_REGISTRY.url}/_sandbox/knobs`, { method: "PUT", body: JSON.stringify({ down: false }) });

    await page.getByRole("link", { name: "长期未结案件" }).click();
    await page.getByText(old.caseNumber).first().waitFor({ timeout: 10_000 });
    await shot("cases");
    await page.getByRole("link", { name: "控制措施到期" }).click();
    await page.getByText(healthy.caseNumber).first().waitFor({ timeout: 10_000 });
    await shot("measures");
    await page.getByRole("link", { name: "委托事项" }).click();
    await page.getByText("各受托法院").waitFor();
    await shot("tasks");
    await page.getByRole("link", { name: "审计链" }).click();
    await page.locator("[data-testid=chain-state]").waitFor({ timeout: 10_000 });
    await shot("audit");
  });

  it("lets a supervisor replay a failing partner's dead letter", async () => {
    aviation.receiver.refuseBatches = true;
    const debtor = residentId();
    const listedCase = await registerCase(t, officer, { debtor, claimAmount: "900.00" });
    expect((await t.gql(RESTRICT, { input: facts(listedCase.caseNumber, debtor) }, officer)).errors).toBeUndefined();
    await page.getByRole("link", { name: "联合惩戒单位" }).click();
    const letter = page.locator("[data-testid=dead-letters] tbody tr", { hasText: "CIVIL_AVIATION" });
    await letter.first().waitFor({ timeout: 20_000 });
    await expect(page.locator("[data-testid=partners] tr.failing", { hasText: "CIVIL_AVIATION" }).count()).resolves.toBe(1);
    await shot("partners");

    aviation.receiver.refuseBatches = false;
    await letter.first().getByRole("button", { name: "重发" }).click();
    await page.getByRole("status").filter({ hasText: "已完成" }).waitFor({ timeout: 10_000 });
    await eventually(
      async () => aviation.receiver.entriesOf(debtor),
      (held) => held.length === 1,
    );
    await page.getByText("没有死信").waitFor({ timeout: 10_000 });
  });

  it("serves GraphiQL from the hub, and nothing was loaded from outside it", async () => {
    await page.goto(`${t.hub.url}/graphql`);
    await page.locator(".graphiql-container .monaco-editor").first().waitFor({ timeout: 20_000 });
    await shot("graphiql");
    expect(external).toEqual([]);
  });
});
