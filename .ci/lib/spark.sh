# Shared by the .ci/spark-* scripts (sourced, not run): finding Spark, probing ports, starting a
# Spark JVM detached in the background and waiting for its port.

port_listens() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Sets and exports SPARK_HOME: $SPARK_HOME when set, otherwise the pyspark package importable by
# ${PYTHON:-python3}.
find_spark_home() {
  if [ -z "${SPARK_HOME:-}" ]; then
    SPARK_HOME=$("${PYTHON:-python3}" -c 'import pyspark, os; print(os.path.dirname(pyspark.__file__))' 2>/dev/null) || {
      echo "cannot find Spark: set SPARK_HOME, or PYTHON to an interpreter that has pyspark" >&2
      return 1
    }
  fi
  export SPARK_HOME
  if [ ! -x "$SPARK_HOME/bin/spark-class" ] || [ ! -x "$SPARK_HOME/bin/spark-submit" ]; then
    echo "$SPARK_HOME/bin/spark-class or spark-submit is missing or not executable" >&2
    return 1
  fi
}

require_free_port() {
  if port_listens "$1"; then
    echo "port $1 on 127.0.0.1 is already in use; stop whatever listens there or pick another port" >&2
    return 1
  fi
}

# start_detached PIDFILE LOGFILE COMMAND...: runs COMMAND in the background, detached from the
# caller's terminal and process group (setsid), with its output in LOGFILE. spark-submit and
# spark-class exec java, so the pid written to PIDFILE is the JVM's.
start_detached() {
  local pidfile=$1 logfile=$2
  shift 2
  SPARK_LOCAL_IP=127.0.0.1 setsid nohup "$@" >> "$logfile" 2>&1 < /dev/null &
  echo "$!" > "$pidfile"
}

# wait_for_port NAME PIDFILE LOGFILE PORT TIMEOUT: waits until PORT listens; if the process dies
# first, or TIMEOUT seconds pass (then it is stopped), prints the log's tail and fails.
wait_for_port() {
  local name=$1 pidfile=$2 logfile=$3 port=$4 timeout=$5
  local pid start=$SECONDS
  pid=$(cat "$pidfile")
  while ! port_listens "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) exited before listening on port $port; log tail:" >&2
      tail -n 30 "$logfile" >&2
      rm -f "$pidfile"
      return 1
    fi
    if (( SECONDS - start >= timeout )); then
      echo "$name (pid $pid) not listening on port $port after ${timeout}s; stopping it; log tail:" >&2
      tail -n 30 "$logfile" >&2
      kill -TERM "$pid" 2>/dev/null || true
      sleep 5
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$pidfile"
      return 1
    fi
    sleep 0.5
  done
  echo "$name pid $pid listening on 127.0.0.1:$port after $((SECONDS - start))s (log: $logfile)"
}
