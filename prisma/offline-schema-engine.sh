#!/bin/sh
# Stand-in for Prisma's native schema engine, which the CLI would otherwise download (no network
# here). barstream only runs `prisma generate`, which does not need it; migrations are plain SQL
# applied by postgrator (`npm run migrate`).
echo "barstream: Prisma's schema engine is not installed; use 'npm run migrate' for migrations" >&2
exit 1
