# Shared by benchmarks/run and benchmarks/syscalls: where things live, and how each tool is
# primed, reset and invoked. Every tool is one entry here; lade is no different from the anchors.
# shellcheck shell=bash

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
tools_dir=${LADE_BENCH_TOOLS:-$here/.tools}
fixtures_dir=${LADE_BENCH_FIXTURES:-$repo/../shared/fixtures}
scratch=${LADE_BENCH_SCRATCH:-${TMPDIR:-/tmp}/lade-bench}
results=$here/results
export PNPM_CONFIG_MANAGE_PACKAGE_MANAGER_VERSIONS=false
# aube (and others) switch defaults under CI; benchmark the interactive defaults everywhere.
unset CI

all_tools=(lade pnpm12 pnpm10 bun aube)

log() { printf '\n== %s\n' "$*" >&2; }

tool_bin() {
  case $1 in
    lade) echo "${LADE:-$repo/target/release/lade}" ;;
    *) echo "$tools_dir/bin/$1" ;;
  esac
}

tool_version() {
  local bin; bin=$(tool_bin "$1")
  if [[ -x $bin ]]; then "$bin" --version 2>/dev/null | head -1; else echo missing; fi
}

# lade is rebuilt while others work on it: time one snapshot of the binary, named by its hash,
# and say which commit it was built from.
snapshot_lade() {
  lade_source=$(git -C "$repo" log -1 --format='%h %cs' 2>/dev/null || echo unknown)
  lade_build=none
  if [[ -z ${LADE:-} && -x $repo/target/release/lade ]]; then
    if [[ -n $(git -C "$repo" status --porcelain -- crates Cargo.toml 2>/dev/null) ]]; then
      lade_source+=" + uncommitted changes"
    fi
    lade_build=$(sha256sum "$repo/target/release/lade" | cut -c1-12)
    mkdir -p "$scratch/bin"
    cp "$repo/target/release/lade" "$scratch/bin/lade-$lade_build"
    export LADE=$scratch/bin/lade-$lade_build
  elif [[ -x ${LADE:-} ]]; then
    lade_source="\$LADE"
    lade_build=$(sha256sum "$LADE" | cut -c1-12)
  fi
}

# Why a tool cannot take part (empty when it can).
tool_missing() {
  local bin; bin=$(tool_bin "$1")
  [[ -x $bin ]] && return
  case $1 in
    lade) echo "pending: $bin not built (cargo build --release -p lade-cli)" ;;
    aube) echo "skipped: aube not installed (see benchmarks/setup)" ;;
    *) echo "skipped: $bin missing (run benchmarks/setup)" ;;
  esac
}

# State of one tool for one fixture: store, metadata cache (via XDG dirs) and one project dir per
# scenario. Warm, noop and gvs share the primed state; cold gets its own, wiped before each run.
# The floor "tools" copy the node_modules that pnpm 10 (the layout lade reproduces) or bun primed.
state_dir() { # fixture tool scenario
  case $2:$3 in
    *:cold) echo "$scratch/$1/$2/cold" ;;
    floor-pnpm:*) echo "$scratch/$1/pnpm10" ;;
    floor-bun:*) echo "$scratch/$1/bun" ;;
    *) echo "$scratch/$1/$2" ;;
  esac
}
project_dir() { echo "$scratch/$1/$2/$3/project"; }

# The timed install command, as a shell line. $3 is the project dir, $4 the state dir.
tool_cmd() {
  local tool=$1 scenario=$2 project=$3 state=$4 bin
  bin=$(tool_bin "$tool")
  local env="XDG_CACHE_HOME=$state/home/cache XDG_DATA_HOME=$state/home/data XDG_STATE_HOME=$state/home/state"
  local -a flags=(--frozen-lockfile)
  [[ $scenario == cold || $tool == bun ]] || flags+=(--offline)
  # Resolution alone: no lockfile, metadata cache filled, trusted without revalidation.
  [[ $scenario == resolve ]] && flags=(--lockfile-only --prefer-offline)
  flags+=(--ignore-scripts)
  case $tool in
    pnpm12 | pnpm10 | lade)
      echo "cd $project && $env $bin install ${flags[*]} --store-dir $state/store" ;;
    bun)
      # bun has no --offline: with bun.lock and a filled cache it does not touch the network.
      echo "cd $project && $env BUN_INSTALL_CACHE_DIR=$state/store $bin install ${flags[*]}" ;;
    aube)
      # aube's default outside CI is its global virtual store; pin the layout per scenario.
      if [[ $scenario == gvs ]]; then flags+=(--enable-global-virtual-store)
      else flags+=(--disable-global-virtual-store); fi
      echo "cd $project && $env $bin install ${flags[*]}" ;;
    floor-pnpm | floor-bun)
      echo "cp -al $state/prime/node_modules $project/node_modules" ;;
  esac
}

# Resets a project before each timed run.
tool_prepare() {
  local scenario=$1 project=$2 state=$3
  case $scenario in
    cold) echo "rm -rf $project/node_modules $state/store $state/home" ;;
    noop) echo "true" ;;
    resolve) echo "rm -rf $project/node_modules $project/pnpm-lock.yaml $project/bun.lock $project/aube-lock.yaml" ;;
    *) echo "rm -rf $project/node_modules" ;;
  esac
}

# The command as BENCHMARKS.md shows it: $P is the project copy, $S the tool's state dir (for the
# floor, the state dir of the tool whose tree it copies), $XDG the three XDG_* assignments.
display_cmd() {
  local line=$1 project=$2 state=$3 tool=$4 s='$S'
  [[ $tool == floor-pnpm ]] && s='$S_pnpm10'
  [[ $tool == floor-bun ]] && s='$S_bun'
  line=${line//"XDG_CACHE_HOME=$state/home/cache XDG_DATA_HOME=$state/home/data XDG_STATE_HOME=$state/home/state"/\$XDG}
  line=${line//$project/\$P}
  line=${line//$state/$s}
  line=${line//$(tool_bin "$tool")/$tool}
  echo "$line"
}

# A fresh writable copy of the fixture, with bun's lockfile and the scenario's workspace settings.
make_project() {
  local fixture=$1 tool=$2 scenario=$3 project=$4
  rm -rf "$project"
  mkdir -p "$project"
  cp "$fixtures_dir/$fixture"/* "$project/"
  chmod -R u+w "$project"
  if [[ $tool == bun && -f $scratch/$fixture/bun.lock ]]; then
    cp "$scratch/$fixture/bun.lock" "$project/"
  fi
  if [[ $scenario == gvs && $tool != aube ]]; then
    printf 'enableGlobalVirtualStore: true\n' >"$project/pnpm-workspace.yaml"
  fi
}

# Fill a tool's store and metadata cache for a fixture with one online install. For bun this is
# also where bun.lock comes from: bun migrates pnpm-lock.yaml on its first (non-frozen) install.
prime_tool() {
  local fixture=$1 tool=$2 state project cmd
  state=$(state_dir "$fixture" "$tool" prime)
  [[ -f $state/primed ]] && return 0
  project=$state/prime
  rm -rf "$state"
  make_project "$fixture" "$tool" prime "$project"
  cmd=$(tool_cmd "$tool" cold "$project" "$state")
  [[ $tool == bun ]] && cmd=${cmd/ --frozen-lockfile/}
  log "prime $tool for $fixture"
  if ! sh -c "$cmd" >"$state/prime.log" 2>&1; then
    tail -5 "$state/prime.log" >&2
    return 1
  fi
  if [[ $tool == bun ]]; then
    cp "$project/bun.lock" "$scratch/$fixture/bun.lock" || return 1
  fi
  touch "$state/primed"
}
