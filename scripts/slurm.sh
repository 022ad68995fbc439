#!/usr/bin/env bash
# A real single-node SLURM cluster on this machine, for the tests of cluster sweeps.
#   bash scripts/slurm.sh install   # Debian packages (as root): slurm, munge, accounting
#   bash scripts/slurm.sh start     # munged, MariaDB, slurmdbd, slurmctld, slurmd
#   bash scripts/slurm.sh stop      # stop them all and forget the cluster's state
# State, logs and configuration live in $EMPOWERNET_SLURM_DIR (default /tmp/empowernet-slurm).
set -euo pipefail
dir="${EMPOWERNET_SLURM_DIR:-/tmp/empowernet-slurm}"
conf="$dir/etc"

install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! command -v slurmctld >/dev/null || ! command -v slurmdbd >/dev/null || \
     ! command -v mariadbd >/dev/null; then
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends slurm-wlm munge slurmdbd \
      slurm-wlm-mysql-plugin mariadb-server >/dev/null
  fi
}

write_config() {
  local host cpus mem
  host="$(hostname -s)"
  cpus="$(nproc)"
  mem="$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.85}' /proc/meminfo)"
  mkdir -p "$conf" "$dir/state" "$dir/spool" "$dir/log" "$dir/run" "$dir/mysql"
  cat > "$conf/slurm.conf" <<EOF
ClusterName=empowernet
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=$host
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=512
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  cat > "$conf/slurmdbd.conf" <<EOF
AuthType=auth/munge
DbdHost=$host
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StorageUser=slurm
StorageLoc=slurm_acct_db
StoragePort=3306
PidFile=$dir/run/slurmdbd.pid
LogFile=$dir/log/slurmdbd.log
EOF
  chmod 600 "$conf/slurmdbd.conf"
}

wait_for() {  # wait_for SECONDS COMMAND...
  local limit=$1; shift
  for _ in $(seq 1 $((limit * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "slurm.sh: timed out waiting for: $*" >&2
  return 1
}

start() {
  stop >/dev/null 2>&1 || true
  write_config
  export SLURM_CONF="$conf/slurm.conf"
  # munge, with a fresh key
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
  chmod 400 /etc/munge/munge.key
  runuser -u munge -- /usr/sbin/munged
  wait_for 10 munge -n
  # MariaDB for accounting (sacct), in the scratch folder
  chown -R mysql:mysql "$dir/mysql"
  mariadb-install-db --user=mysql --datadir="$dir/mysql/data" >/dev/null 2>&1
  chown -R mysql:mysql "$dir/mysql"
  runuser -u mysql -- mariadbd --datadir="$dir/mysql/data" \
    --socket="$dir/mysql/mysqld.sock" --pid-file="$dir/mysql/mysqld.pid" \
    --log-error="$dir/mysql/error.log" --port=3306 --bind-address=127.0.0.1 \
    >/dev/null 2>&1 &
  wait_for 30 mariadb --socket="$dir/mysql/mysqld.sock" -e "select 1"
  mariadb --socket="$dir/mysql/mysqld.sock" -e \
    "CREATE USER IF NOT EXISTS 'slurm'@'localhost'; CREATE USER IF NOT EXISTS 'slurm'@'%';
     GRANT ALL ON *.* TO 'slurm'@'localhost'; GRANT ALL ON *.* TO 'slurm'@'%';
     FLUSH PRIVILEGES;"
  /usr/sbin/slurmdbd
  wait_for 30 sacctmgr -i show cluster
  sacctmgr -i add cluster empowernet >/dev/null 2>&1 || true
  /usr/sbin/slurmctld -f "$conf/slurm.conf" -i
  /usr/sbin/slurmd -f "$conf/slurm.conf"
  wait_for 30 bash -c "sinfo -h -o %t | grep -q -E '^(idle|mix|alloc)'"
  echo "SLURM is up: export SLURM_CONF=$conf/slurm.conf"
}

stop() {
  export SLURM_CONF="$conf/slurm.conf"
  for name in slurmd slurmctld slurmdbd mariadbd munged; do
    pkill -x "$name" 2>/dev/null || true
  done
  sleep 1
  for name in slurmd slurmctld slurmdbd mariadbd munged; do
    pkill -9 -x "$name" 2>/dev/null || true
  done
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: bash scripts/slurm.sh install|start|stop" >&2; exit 2 ;;
esac
