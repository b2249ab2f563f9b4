//! pnpm-lock.yaml v9: schema, reader, freshness check against manifests, writer
