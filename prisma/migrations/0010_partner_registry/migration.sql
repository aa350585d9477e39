-- SM2 partners sign their batch acknowledgements with their own key; supervisors deactivate partners with a reason.
ALTER TABLE "sanction_partner" ADD COLUMN     "inactive_reason" TEXT,
ADD COLUMN     "public_key" TEXT;
