-- API keys for /api/* (npm run keys; docs/SECURITY.md). The key itself is shown once and never stored:
--   prefix        the key's public, unique part (bsk_<prefix>_<secret>): how a request's key is found,
--                 and how `npm run keys -- list` shows it
--   hash          scrypt of the secret part with a per-key salt: scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>
--   scope         read (GET/HEAD/OPTIONS) or write (every route)
--   revoked_at    set by `npm run keys -- revoke`; a revoked key is refused (rows are kept for the record)
CREATE TABLE api_keys (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  scope        text NOT NULL CHECK (scope IN ('read', 'write')),
  prefix       text NOT NULL UNIQUE,
  hash         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
