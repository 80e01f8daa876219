# Sourced by the bench scripts that run the CLI under `/usr/bin/time -v`: what they read back from a run's log.
# peak_gb LOG: the peak resident memory /usr/bin/time reported, in GB (10^9 bytes), two decimals.
peak_gb() { awk '/Maximum resident/ {printf "%.2f", $NF * 1024 / 1e9}' "$1"; }
# estimate_gb LOG: the memory estimate the CLI printed ("memory: about X GB ..."), in GB.
estimate_gb() { sed -n 's/^memory: about \([0-9.]*\) GB.*/\1/p' "$1"; }
