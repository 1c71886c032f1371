#!/usr/bin/env bash
# make_certs.sh DIR: makes the TLS test certificates in DIR with the openssl
# CLI (no private key is committed anywhere). Every key is unencrypted.
#
#   ca.pem ca.key                   test CA
#   server.pem server.key           RSA, localhost / 127.0.0.1 / ::1, by the CA
#   server_combined.pem             server.pem followed by server.key
#   ec_server.pem ec_server.key     the same names, ECDSA P-256
#   wrongname.pem wrongname.key     for wrong.example.com only
#   wildcard.pem wildcard.key       for *.example.com
#   expired.pem expired.key         localhost, valid in January 2020 only
#   selfsigned.pem selfsigned.key   localhost, self-signed
#   client.pem client.key           client certificate (CN=test-client)
#   other_ca.pem                    a CA nobody trusts
#   rogue_client.pem rogue_client.key  client certificate by other_ca
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
ossl=/usr/bin/openssl
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

ca() { # ca NAME CN
  "$ossl" req -x509 "${ec[@]}" -keyout "$1.key" -out "$1.pem" -days 3 \
    -subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# leaf NAME CN SAN EXTRA_EXT [CA] [KEYOPTS...]
leaf() {
  local name="$1" cn="$2" san="$3" ext="$4" by="${5:-ca}"
  shift 5 || shift $#
  local keyopts=("${ec[@]}")
  [ $# -gt 0 ] && keyopts=("$@")
  "$ossl" req "${keyopts[@]}" -keyout "$name.key" -out "$name.csr" \
    -subj "/CN=$cn" 2>/dev/null
  {
    [ -n "$san" ] && echo "subjectAltName=$san"
    echo "$ext"
  } >"$name.ext"
  "$ossl" x509 -req -in "$name.csr" -CA "$by.pem" -CAkey "$by.key" \
    -CAcreateserial -out "$name.pem" -days 3 -extfile "$name.ext" 2>/dev/null
}

server_ext="extendedKeyUsage=serverAuth"
local_san="DNS:localhost,IP:127.0.0.1,IP:::1"

ca ca test-ca
ca other_ca other-ca
leaf server localhost "$local_san" "$server_ext" ca \
  -newkey rsa:2048 -nodes
cat server.pem server.key >server_combined.pem
leaf ec_server localhost "$local_san" "$server_ext" ca
leaf wrongname wrong.example.com "DNS:wrong.example.com" "$server_ext" ca
leaf wildcard "*.example.com" "DNS:*.example.com" "$server_ext" ca
leaf client test-client "" "extendedKeyUsage=clientAuth" ca
leaf rogue_client rogue-client "" "extendedKeyUsage=clientAuth" other_ca

# Expired: signed by the CA with a validity period in the past.
"$ossl" req "${ec[@]}" -keyout expired.key -out expired.csr \
  -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=%s\n%s\n' "$local_san" "$server_ext" >expired.ext
cat >expired.cnf <<'EOF'
[ca]
default_ca = d
[d]
database = expired.index
new_certs_dir = .
serial = expired.serial
default_md = sha256
policy = p
[p]
commonName = supplied
EOF
: >expired.index
echo 1000 >expired.serial
"$ossl" ca -config expired.cnf -batch -notext -cert ca.pem -keyfile ca.key \
  -in expired.csr -out expired.pem -startdate 20200101000000Z \
  -enddate 20200102000000Z -extfile expired.ext 2>/dev/null

"$ossl" req -x509 "${ec[@]}" -keyout selfsigned.key -out selfsigned.pem \
  -days 3 -subj /CN=localhost -addext "subjectAltName=$local_san" 2>/dev/null
