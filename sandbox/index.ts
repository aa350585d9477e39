/**
 * The sandbox agencies, each on its own HTTP server as real agencies are,
 * started and stopped together for tests, benches and local runs.
 */
import type { AgencyKind } from "../connectors/connector.js";
import { AGENCY_KINDS } from "../connectors/connector.js";
import {
  startAgencyServer,
  type Agency,
  type AgencyEnvironment,
  type RunningAgency,
  type SandboxKnobs,
  type SandboxStats,
} from "./agencyServer.js";
import { Bank } from "./agencies/bank.js";
import { CivilAffairs } from "./agencies/civilAffairs.js";
import { CreditPlatform } from "./agencies/creditPlatform.js";
import { MarketRegulator } from "./agencies/marketRegulation.js";
import { PaymentPlatform } from "./agencies/paymentPlatform.js";
import { PoliceService } from "./agencies/police.js";
import { PropertyRegistry } from "./agencies/propertyRegistry.js";
import { SecuritiesDepository } from "./agencies/securitiesDepository.js";
import { SocialInsuranceAgency } from "./agencies/socialInsurance.js";
import { ProvidentFundCentre } from "./agencies/providentFund.js";
import { TaxBureau } from "./agencies/tax.js";
import { VehicleRegistry } from "./agencies/vehicleRegistry.js";
import { generateSm2KeyPair, type Sm2KeyPairPem } from "../gateway/signing/sm2Keys.js";
import type { RegistryOptions } from "./controls.js";

export type { SandboxKnobs, SandboxStats } from "./agencyServer.js";

export const DEFAULT_SANDBOX_SECRET = "sandbox-secret-not-for-production-0001";

/** Each agency listens on basePort + its offset when basePort is not 0. */
export const SANDBOX_PORT_OFFSETS: Readonly<Record<AgencyKind, number>> = {
  PROPERTY_REGISTRY: 0,
  VEHICLE_REGISTRY: 1,
  POLICE: 2,
  TAX: 3,
  CREDIT_PLATFORM: 4,
  BANK: 5,
  MARKET_REGULATION: 6,
  CIVIL_AFFAIRS: 7,
  SECURITIES_DEPOSITORY: 9,
  SOCIAL_INSURANCE: 8,
  PROVIDENT_FUND: 10,
  PAYMENT_PLATFORM: 11,
};

type AgencyOptions = RegistryOptions & { hubPublicKeyPem?: string; creditPlatformKey: Sm2KeyPairPem };

const AGENCIES: Record<AgencyKind, (environment: AgencyEnvironment, secret: string, options: AgencyOptions) => Agency> = {
  PROPERTY_REGISTRY: (environment, secret, options) => new PropertyRegistry(environment, secret, options),
  VEHICLE_REGISTRY: (environment, secret, options) => new VehicleRegistry(environment, secret, options),
  POLICE: (environment, secret, options) => new PoliceService(environment, secret, options),
  TAX: (environment, secret, options) => new TaxBureau(environment, secret, options),
  CREDIT_PLATFORM: (_environment, _secret, options) =>
    new CreditPlatform({ publicKeyPem: options.hubPublicKeyPem }, options.creditPlatformKey),
  BANK: (environment, secret, options) => new Bank(environment, secret, options),
  MARKET_REGULATION: (environment, secret, options) => new MarketRegulator(environment, secret, options),
  CIVIL_AFFAIRS: () => new CivilAffairs(),
  SECURITIES_DEPOSITORY: (environment, secret, options) => new SecuritiesDepository(environment, secret, options),
  SOCIAL_INSURANCE: (environment, secret, options) => new SocialInsuranceAgency(environment, secret, options),
  PROVIDENT_FUND: (environment, secret, options) => new ProvidentFundCentre(environment, secret, options),
  PAYMENT_PLATFORM: (environment, secret, options) => new PaymentPlatform(environment, secret, options),
};

export interface SandboxOptions {
  host?: string;
  /** 0 (the default) gives every agency an ephemeral port. */
  basePort?: number;
  /**
   * HMAC-SM3 secret shared with the hub (tax; the bank; social insurance; the registries' measure reports; the police's
   * assistance reports).
   */
  secret?: string;
  knobs?: Partial<Record<AgencyKind, Partial<SandboxKnobs>>>;
  /**
   * The registries' and the bank's clock, for when their measures lapse (and their registration times). Defaults to
   * the real time; a test that moves the hub's clock passes the same one so both agree about lapses.
   */
  now?: () => Date;
  /** The hub's SM2 public key (PEM): the credit platform verifies the list batches it receives with it. */
  hubPublicKeyPem?: string;
  /** The credit platform's own SM2 key pair, which signs its acknowledgements of list batches; default: a fresh one. */
  creditPlatformKey?: Sm2KeyPairPem;
}

export interface SandboxAgency {
  kind: AgencyKind;
  /** Server root, e.g. http://127.0.0.1:4101; channels are {url}/national and {url}/local/{divisionPrefix}. */
  url: string;
  /** Live: mutate to change the agency's behaviour at once. */
  knobs: SandboxKnobs;
  stats: SandboxStats;
  reset(): void;
}

export interface Sandbox {
  agencies: Record<AgencyKind, SandboxAgency>;
  /** The credit platform's SM2 public key (PEM): register it as the partner's publicKey. */
  creditPlatformPublicKeyPem: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const basePort = options.basePort ?? 0;
  const secret = options.secret ?? DEFAULT_SANDBOX_SECRET;
  const creditPlatformKey = options.creditPlatformKey ?? generateSm2KeyPair();
  const started = await Promise.allSettled(
    AGENCY_KINDS.map((kind) =>
      startAgencyServer(
        kind,
        (environment) =>
          AGENCIES[kind](environment, secret, { now: options.now, hubPublicKeyPem: options.hubPublicKeyPem, creditPlatformKey }),
        {
          host: options.host,
          port: basePort === 0 ? 0 : basePort + SANDBOX_PORT_OFFSETS[kind],
          knobs: options.knobs?.[kind],
        },
      ),
    ),
  );
  const running = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure) {
    await Promise.all(running.map((agency) => agency.close()));
    throw failure.reason;
  }
  const agencies = Object.fromEntries(
    running.map(({ kind, url, knobs, stats, reset }: RunningAgency) => [kind, { kind, url, knobs, stats, reset }]),
  ) as Record<AgencyKind, SandboxAgency>;
  return {
    agencies,
    creditPlatformPublicKeyPem: creditPlatformKey.publicKeyPem,
    close: async () => {
      await Promise.all(running.map((agency) => agency.close()));
    },
  };
}
