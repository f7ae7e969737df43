"""The shelter directory for other systems: Open Referral HSDS 3.1 at /api/hsds/."""
