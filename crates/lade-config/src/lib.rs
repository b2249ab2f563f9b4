//! Configuration as pnpm reads it: .npmrc files, pnpm-workspace.yaml, package.json pnpm field, environment
