-- One asset, one truth: an asset is one row per (case, debtor, agency kind, identity), each finding of it
-- a sighting with what the agency said then. Existing rows, one per finding, are folded into the earliest
-- row of their identity; every one of them is kept as a sighting.
ALTER TABLE "asset" ADD COLUMN "identity" TEXT,
-- found_by stays null for rows whose finding's exchange was already pruned (exchange retention).
ADD COLUMN "found_by" UUID,
ADD COLUMN "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now();

-- A vehicle is its VIN (a plate can change); everything else is the registry identifier it was reported under.
UPDATE "asset" SET "identity" = CASE WHEN "type" = 'VEHICLE' AND coalesce(trim("details"->>'vin'), '') <> ''
                                     THEN upper(trim("details"->>'vin')) ELSE trim("identifier") END,
                   "found_by" = coalesce("agency_request_id", "delegated_task_id"),
                   "last_seen_at" = "created_at";

CREATE TABLE "asset_sighting" (
    "id" UUID NOT NULL,
    "asset_id" UUID NOT NULL,
    "agency_request_id" UUID,
    "delegated_task_id" UUID,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "identifier" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "estimated_value" DECIMAL(18,2),
    "details" JSONB NOT NULL,

    CONSTRAINT "asset_sighting_pkey" PRIMARY KEY ("id")
);

-- Each asset row becomes a sighting of the earliest row of its identity.
INSERT INTO "asset_sighting" ("id", "asset_id", "agency_request_id", "delegated_task_id", "seen_at", "identifier", "description",
                              "estimated_value", "details")
SELECT a."id", first."id", a."agency_request_id", a."delegated_task_id", a."created_at", a."identifier", a."description",
       a."estimated_value", a."details"
  FROM "asset" AS a
  JOIN LATERAL (SELECT f."id" FROM "asset" AS f
                 WHERE f."case_id" = a."case_id" AND f."debtor_id" = a."debtor_id" AND f."agency_kind" = a."agency_kind"
                   AND f."identity" = a."identity"
                 ORDER BY f."created_at", f."id" LIMIT 1) AS first ON true;

-- The kept row shows the latest sighting's state.
UPDATE "asset" AS a SET "identifier" = s."identifier", "description" = s."description", "estimated_value" = s."estimated_value",
                        "details" = s."details", "last_seen_at" = s."seen_at"
  FROM (SELECT DISTINCT ON ("asset_id") * FROM "asset_sighting" ORDER BY "asset_id", "seen_at" DESC, "id" DESC) AS s
 WHERE a."id" = s."asset_id";

-- Measures ordered on a duplicate row now name the asset it was a sighting of.
UPDATE "measure" AS m SET "asset_id" = s."asset_id" FROM "asset_sighting" AS s WHERE m."asset_id" = s."id";

DELETE FROM "asset" AS a WHERE NOT EXISTS (SELECT 1 FROM "asset_sighting" AS s WHERE s."asset_id" = a."id" AND s."id" = a."id");

ALTER TABLE "asset" DROP CONSTRAINT "asset_agency_request_id_fkey";
ALTER TABLE "asset" DROP CONSTRAINT "asset_delegated_task_id_fkey";
DROP INDEX "asset_agency_request_id_identifier_key";
DROP INDEX "asset_delegated_task_id_identifier_key";
ALTER TABLE "asset" DROP COLUMN "agency_request_id",
DROP COLUMN "delegated_task_id",
ALTER COLUMN "identity" SET NOT NULL;

CREATE UNIQUE INDEX "asset_case_id_debtor_id_agency_kind_identity_key" ON "asset"("case_id", "debtor_id", "agency_kind", "identity");
CREATE UNIQUE INDEX "asset_sighting_asset_id_agency_request_id_key" ON "asset_sighting"("asset_id", "agency_request_id");
CREATE UNIQUE INDEX "asset_sighting_asset_id_delegated_task_id_key" ON "asset_sighting"("asset_id", "delegated_task_id");
CREATE INDEX "asset_sighting_agency_request_id_idx" ON "asset_sighting"("agency_request_id");
CREATE INDEX "asset_sighting_delegated_task_id_idx" ON "asset_sighting"("delegated_task_id");

ALTER TABLE "asset_sighting" ADD CONSTRAINT "asset_sighting_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "asset"("id")
  ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "asset_sighting" ADD CONSTRAINT "asset_sighting_agency_request_id_fkey" FOREIGN KEY ("agency_request_id")
  REFERENCES "agency_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "asset_sighting" ADD CONSTRAINT "asset_sighting_delegated_task_id_fkey" FOREIGN KEY ("delegated_task_id")
  REFERENCES "delegated_task"("id") ON DELETE SET NULL ON UPDATE CASCADE;
