# Starts and stops the standalone Aspire Dashboard: the OTLP receiver and trace/log/metric UI that ./automation up runs
# beside the services when no container engine runs Jaeger. Sourced by ./automation.

dashboard_port="${AUTOMATION_DASHBOARD_PORT:-18888}"
otlp_grpc_port="${AUTOMATION_OTLP_GRPC_PORT:-4317}"
otlp_http_port="${AUTOMATION_OTLP_HTTP_PORT:-4318}"
dashboard_version="13.6.5"

dashboard_binary() {
  echo "${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.dashboard.sdk.linux-x64/$dashboard_version/tools/Aspire.Dashboard"
}

# The OTLP endpoint every service exports to when the dashboard runs.
dashboard_otlp_endpoint() { echo "http://127.0.0.1:$otlp_grpc_port"; }

start_dashboard() {
  mkdir -p "$run_dir" "$log_dir"
  if pid_alive "$run_dir/dashboard.pid"; then info "the Aspire Dashboard already runs"; return; fi
  local port
  for port in "$dashboard_port" "$otlp_grpc_port" "$otlp_http_port"; do
    port_free "$port" || fail "port $port (Aspire Dashboard) is in use by another program: free it or set AUTOMATION_DASHBOARD_PORT / AUTOMATION_OTLP_*_PORT."
  done
  if [ ! -x "$(dashboard_binary)" ]; then
    info "downloading the Aspire Dashboard $dashboard_version (NuGet Aspire.Dashboard.Sdk.linux-x64)"
    dotnet restore "$repo_root/eng/dashboard/AspireDashboard.csproj" -nologo -v quiet >"$log_dir/dashboard-restore.log" 2>&1 \
      || fail "could not download the Aspire Dashboard: see $log_dir/dashboard-restore.log"
  fi
  info "starting the Aspire Dashboard on http://127.0.0.1:$dashboard_port (OTLP on $otlp_grpc_port)"
  (
    export ASPNETCORE_URLS="http://127.0.0.1:$dashboard_port"
    export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$otlp_grpc_port"
    export ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$otlp_http_port"
    # Local use on loopback only: no login, as the MACHINE notes describe.
    export ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true
    exec nohup "$(dashboard_binary)" >"$log_dir/dashboard.log" 2>&1
  ) &
  echo $! >"$run_dir/dashboard.pid"
  local deadline=$((SECONDS + ${AUTOMATION_READY_TIMEOUT:-90}))
  until curl -fsS "http://127.0.0.1:$dashboard_port/api/telemetry/resources" >/dev/null 2>&1; do
    pid_alive "$run_dir/dashboard.pid" || fail "the Aspire Dashboard exited while starting: see $log_dir/dashboard.log"
    [ $SECONDS -lt $deadline ] || fail "the Aspire Dashboard did not answer within ${AUTOMATION_READY_TIMEOUT:-90}s: see $log_dir/dashboard.log"
    sleep 0.5
  done
  info "the Aspire Dashboard is ready"
}

stop_dashboard() {
  if pid_alive "$run_dir/dashboard.pid"; then info "stopping the Aspire Dashboard"; fi
  stop_pid "$run_dir/dashboard.pid" 10
}

dashboard_status() {
  if pid_alive "$run_dir/dashboard.pid"; then info "the Aspire Dashboard runs (pid $(cat "$run_dir/dashboard.pid"), http://127.0.0.1:$dashboard_port)"
  else info "the Aspire Dashboard is not running"; fi
}

# The line ./automation up prints about traces.
dashboard_line() {
  if pid_alive "$run_dir/dashboard.pid"; then echo "Traces:    http://127.0.0.1:$dashboard_port/ (Aspire Dashboard: traces, logs and metrics of every service)"
  else echo "Traces:    off (AUTOMATION_DASHBOARD=off)"; fi
}
