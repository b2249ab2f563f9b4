//! Install sequencing: plan from the lockfile, fetch what the store lacks, link, report
