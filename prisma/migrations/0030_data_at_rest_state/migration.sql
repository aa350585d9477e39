-- What the last start's scan for plain values covered (gateway/persistence/dataAtRest.ts, sealPlainAtStart): the sealed
-- columns and the key version that wrote. A start that applies no migration, seals the same columns and writes with the
-- same version finds nothing new in plain text, and skips the scan of every sealed column.
CREATE TABLE "data_at_rest_state" (
    "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
    "sealed_columns" TEXT NOT NULL,
    "write_version" INTEGER NOT NULL,
    "scanned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
