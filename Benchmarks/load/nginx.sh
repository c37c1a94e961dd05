# Sourced by the benchmark scripts: start_nginx DIR PORT CORE starts one nginx process
# (master_process off, one worker) pinned to CORE, answering `return 200` with keep-alive.
start_nginx() {
    local dir=$1 port=$2 core=$3
    mkdir -p "$dir/logs"
    cat > "$dir/nginx.conf" <<CONF
master_process off;
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
worker_rlimit_nofile 30000;
events { worker_connections 25000; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_body_temp_path $dir/tmp;
  server {
    listen 127.0.0.1:$port backlog=16384 reuseport;
    location / { return 200; }
  }
}
CONF
    taskset -c "$core" nginx -c "$dir/nginx.conf" -p "$dir" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
        sleep 0.1
    done
    echo "nginx did not start" >&2
    return 1
}
