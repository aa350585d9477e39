/** The one place that knows which connector serves which agency kind. */
import { bankConnector } from "./bank/connector.js";
import type { AgencyConnector, AgencyKind } from "./connector.js";
import { civilAffairsConnector } from "./civil-affairs/connector.js";
import { creditPlatformConnector } from "./credit-platform/connector.js";
import { marketRegulationConnector } from "./market-regulation/connector.js";
import { paymentPlatformConnector } from "./payment-platform/connector.js";
import { policeConnector } from "./police/connector.js";
import { propertyRegistryConnector } from "./property-registry/connector.js";
import { securitiesDepositoryConnector } from "./securities-depository/connector.js";
import { socialInsuranceConnector } from "./social-insurance/connector.js";
import { providentFundConnector } from "./provident-fund/connector.js";
import { taxConnector } from "./tax/connector.js";
import { vehicleRegistryConnector } from "./vehicle-registry/connector.js";

/** Typed as a total Record so adding an AgencyKind fails to compile until its connector is listed. */
export const connectors: Record<AgencyKind, AgencyConnector> = {
  PROPERTY_REGISTRY: propertyRegistryConnector,
  VEHICLE_REGISTRY: vehicleRegistryConnector,
  POLICE: policeConnector,
  TAX: taxConnector,
  CREDIT_PLATFORM: creditPlatformConnector,
  BANK: bankConnector,
  MARKET_REGULATION: marketRegulationConnector,
  CIVIL_AFFAIRS: civilAffairsConnector,
  SECURITIES_DEPOSITORY: securitiesDepositoryConnector,
  SOCIAL_INSURANCE: socialInsuranceConnector,
  PROVIDENT_FUND: providentFundConnector,
  PAYMENT_PLATFORM: paymentPlatformConnector,
};

/** Kinds arrive as strings from the database and the API, so an unknown one is checked, not trusted. */
export function connectorFor(kind: AgencyKind): AgencyConnector {
  const connector = connectors[kind];
  if (connector === undefined) throw new Error(`no connector for agency kind ${kind}`);
  return connector;
}
