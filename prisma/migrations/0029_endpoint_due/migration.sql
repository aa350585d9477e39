-- Due requests by endpoint: an instance leases at most the room it has left on each endpoint (its in-memory window),
-- so the sweep takes each endpoint's oldest due requests, not the oldest of all.
CREATE INDEX "agency_request_agency_kind_endpoint_key_next_attempt_at_idx" ON "agency_request"("agency_kind", "endpoint_key", "next_attempt_at");
