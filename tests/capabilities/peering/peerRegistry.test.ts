import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSm2KeyPair, loadOrCreateHubSm2Key } from "../../../gateway/signing/sm2Keys.js";
import { PeerRegistry, readPeersFile, type PeerConfig } from "../../../capabilities/peering/peerRegistry.js";

const anhui: PeerConfig = {
  hubId: "hub-anhui",
  baseUrl: "https://hub.ah.example/",
  publicKeyPem: generateSm2KeyPair().publicKeyPem,
  provinces: ["34"],
  accepts: ["TASK_STATUS"],
};

describe("the peer registry", () => {
  it("finds the peer serving a division code's province (GB/T 2260: the first two digits)", () => {
    const registry = new PeerRegistry([
      anhui,
      { ...anhui, hubId: "hub-hubei", publicKeyPem: generateSm2KeyPair().publicKeyPem, provinces: ["42"] },
    ]);
    expect(registry.forDivision("340102")?.hubId).toBe("hub-anhui");
    expect(registry.forDivision("420100")?.hubId).toBe("hub-hubei");
    expect(registry.forDivision("410225")).toBeUndefined();
    expect(registry.peer("hub-anhui")?.baseUrl).toBe("https://hub.ah.example");
  });

  it("grants each peer only the message types listed for it", () => {
    const registry = new PeerRegistry([anhui]);
    const peer = registry.peer("hub-anhui")!;
    expect(registry.mayReceive(peer, "TASK_STATUS")).toBe(true);
    expect(registry.mayReceive(peer, "TASK_DELEGATED")).toBe(false);
  });

  it("refuses a configuration where a province has two hubs, a peer is listed twice, or a prefix is not two digits", () => {
    expect(() => new PeerRegistry([anhui, { ...anhui, hubId: "hub-other" }])).toThrow("province 34 is served by both");
    expect(() => new PeerRegistry([anhui, { ...anhui, provinces: [] }])).toThrow("configured twice");
    expect(() => new PeerRegistry([{ ...anhui, provinces: ["340"] }])).toThrow("not a two-digit");
  });

  it("reads HUB_PEERS_FILE with keys inline or in files beside it", () => {
    const dir = mkdtempSync(join(tmpdir(), "peers-"));
    const hubei = generateSm2KeyPair();
    writeFileSync(join(dir, "hubei.pem"), hubei.publicKeyPem);
    writeFileSync(
      join(dir, "peers.json"),
      JSON.stringify({
        peers: [
          { hubId: "hub-anhui", baseUrl: anhui.baseUrl, publicKey: anhui.publicKeyPem, provinces: ["34"], accepts: ["TASK_STATUS"] },
          { hubId: "hub-hubei", baseUrl: "https://hub.hb.example", publicKeyFile: "hubei.pem", provinces: ["42"] },
        ],
      }),
    );
    const peers = readPeersFile(join(dir, "peers.json"), { development: true, allow: [] });
    expect(peers.map((peer) => [peer.hubId, peer.publicKeyPem, peer.accepts])).toEqual([
      ["hub-anhui", anhui.publicKeyPem, ["TASK_STATUS"]],
      ["hub-hubei", hubei.publicKeyPem, []],
    ]);
  });

  it("creates this hub's key pair in the data folder once, and reads the same key afterwards", () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-data-"));
    const first = loadOrCreateHubSm2Key(dir);
    expect(first).toContain("BEGIN PRIVATE KEY");
    expect(loadOrCreateHubSm2Key(dir)).toBe(first);
  });
});
