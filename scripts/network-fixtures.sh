#!/usr/bin/env bash
# The networks users have, on loopback, from Debian's own programs: a private CA and certificates made here with
# openssl, nginx terminating TLS (and mutual TLS) in front of an inference server, a static file server for URL
# images, and two tinyproxy forward proxies (one open, one asking for Basic credentials). Used by the tests
# (Tests/NetworkTests) and by hand:
#   scripts/network-fixtures.sh start DIR UPSTREAM_URL   # prints NAME=value lines (URLs, files, logs)
#   scripts/network-fixtures.sh stop DIR
# Needs nginx (nginx-light), tinyproxy (tinyproxy-bin) and openssl: scripts/bootstrap.sh installs them.
set -euo pipefail

command="${1:-}"
dir="${2:-}"
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR UPSTREAM_URL | stop DIR" >&2; exit 2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_port() {  # host port seconds
  python3 - "$1" "$2" "$3" <<'PY'
import socket, sys, time
host, port, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
end = time.time() + limit
while time.time() < end:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

make_pki() {  # dir
  local pki="$1"
  mkdir -p "$pki"
  cd "$pki"
  local days=30
  # The CA servers are signed by, another CA nobody trusts here, and a CA for client certificates.
  for ca in ca wrong-ca client-ca; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$ca.key" -out "$ca.pem" \
      -days "$days" -subj "/CN=inference-sdk test $ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  done
  # The server's certificate: 127.0.0.1 and localhost, signed by ca.
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
    -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days "$days" \
    -extfile server.ext 2>/dev/null
  # A certificate for another host (host-name mismatch), signed by ca.
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-host.key -out other-host.csr \
    -subj "/CN=other.example" 2>/dev/null
  printf 'subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n' >other-host.ext
  openssl x509 -req -in other-host.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out other-host.pem -days "$days" \
    -extfile other-host.ext 2>/dev/null
  # The client's certificate, signed by client-ca; and its certificate and key in one file (curl's --cert alone).
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key -out client.csr \
    -subj "/CN=inference-sdk test client" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >client.ext
  openssl x509 -req -in client.csr -CA client-ca.pem -CAkey client-ca.key -CAcreateserial -out client.pem \
    -days "$days" -extfile client.ext 2>/dev/null
  cat client.pem client.key >client-combined.pem
  rm -f ./*.csr ./*.ext ./*.srl
  cd - >/dev/null
}

start_nginx() {  # dir upstream tls_port mtls_port files_port other_port
  local d="$1/nginx" upstream="$2"
  mkdir -p "$d" "$1/files"
  local pki="$1/pki"
  local common="ssl_certificate $pki/server.pem; ssl_certificate_key $pki/server.key;"
  local pass="location / { proxy_pass $upstream; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_read_timeout 300s; }"
  cat >"$d/nginx.conf" <<EOF
daemon on;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log info;
events { worker_connections 512; }
http {
  log_format withtls '\$remote_addr "\$request" \$status \$body_bytes_sent \$request_length tls=\$ssl_protocol client="\$ssl_client_s_dn"';
  access_log $d/access.log withtls;
  client_body_temp_path $d/body; proxy_temp_path $d/proxy; fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi; scgi_temp_path $d/scgi;
  client_max_body_size 64m;
  server { listen 127.0.0.1:$3 ssl; $common $pass }
  server {
    listen 127.0.0.1:$4 ssl; $common
    ssl_client_certificate $pki/client-ca.pem; ssl_verify_client on;
    $pass
  }
  server { listen 127.0.0.1:$5; root $1/files; }
  server { listen 127.0.0.1:$6 ssl; ssl_certificate $pki/other-host.pem; ssl_certificate_key $pki/other-host.key; $pass }
}
EOF
  nginx -p "$d" -c "$d/nginx.conf" 2>"$d/start.log" || { cat "$d/start.log" >&2; return 1; }
}

start_tinyproxy() {  # dir name port [user password]
  local conf="$1/$2.conf"
  {
    echo "Port $3"
    echo "Listen 127.0.0.1"
    echo "Timeout 600"
    echo "MaxClients 100"
    echo "Allow 127.0.0.1"
    echo "LogFile \"$1/$2.log\""
    echo "LogLevel Connect"
    echo "PidFile \"$1/$2.pid\""
    echo "DisableViaHeader Yes"
    [ $# -ge 5 ] && echo "BasicAuth $4 $5"
  } >"$conf"
  # No ConnectPort line: CONNECT to any port (the servers here are not on 443).
  [ "$(id -u)" -eq 0 ] && echo "User nobody" >>"$conf" && echo "Group nogroup" >>"$conf" && chmod 777 "$1"
  rm -f "$1/$2.log"
  tinyproxy -c "$conf" 2>"$1/$2.start.log" || { cat "$1/$2.start.log" >&2; return 1; }
}

case "$command" in
  start)
    upstream="${3:?usage: $0 start DIR UPSTREAM_URL}"
    for tool in nginx tinyproxy openssl; do
      command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/bootstrap.sh installs it" >&2; exit 1; }
    done
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    make_pki "$dir/pki"
    # Free ports are picked, then bound by nginx and tinyproxy: another process may take one in between (tests
    # start several of these at once), so a start that cannot bind is retried on new ports.
    started=""
    for attempt in 1 2 3 4 5; do
      tls=$(free_port); mtls=$(free_port); files=$(free_port); other=$(free_port); proxy=$(free_port); auth=$(free_port)
      if (start_nginx "$dir" "$upstream" "$tls" "$mtls" "$files" "$other" \
          && start_tinyproxy "$dir" proxy "$proxy" \
          && start_tinyproxy "$dir" auth-proxy "$auth" proxyuser 'proxy-secret-8d2f') 2>"$dir/start-$attempt.log"; then
        ok=1
        for port in "$tls" "$mtls" "$files" "$other" "$proxy" "$auth"; do wait_port 127.0.0.1 "$port" 20 || ok=0; done
        if [ "$ok" = 1 ]; then started=1; break; fi
      fi
      bash "$0" stop "$dir" >/dev/null 2>&1 || true
      sleep 0.2
    done
    if [ -z "$started" ]; then
      echo "could not start nginx and tinyproxy on free ports:" >&2
      cat "$dir"/start-*.log "$dir"/nginx/error.log >&2 2>/dev/null || true
      exit 1
    fi
    cat <<EOF
TLS_URL=https://127.0.0.1:$tls
MTLS_URL=https://127.0.0.1:$mtls
OTHER_HOST_URL=https://127.0.0.1:$other
FILES_URL=http://127.0.0.1:$files
FILES_DIR=$dir/files
PROXY_URL=http://127.0.0.1:$proxy
AUTH_PROXY_URL=http://proxyuser:proxy-secret-8d2f@127.0.0.1:$auth
CA=$dir/pki/ca.pem
WRONG_CA=$dir/pki/wrong-ca.pem
CLIENT_CERT=$dir/pki/client.pem
CLIENT_KEY=$dir/pki/client.key
CLIENT_COMBINED=$dir/pki/client-combined.pem
PROXY_LOG=$dir/proxy.log
AUTH_PROXY_LOG=$dir/auth-proxy.log
NGINX_ACCESS_LOG=$dir/nginx/access.log
NGINX_ERROR_LOG=$dir/nginx/error.log
EOF
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    [ -f "$dir/nginx/nginx.pid" ] && nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s stop 2>/dev/null || true
    for name in proxy auth-proxy; do
      [ -f "$dir/$name.pid" ] && kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    done
    rm -f "$dir/nginx/nginx.pid"
    ;;
  *)
    echo "usage: $0 start DIR UPSTREAM_URL | stop DIR" >&2; exit 2 ;;
esac
