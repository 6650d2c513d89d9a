#!/bin/sh
# Prepares a Temporal namespace for this platform: creates it when missing and registers the custom
# search attributes every order workflow carries (domain/search-attributes.ts), so operators can
# filter by OrderId, CustomerId, OrderStatus and CartId. Idempotent: runs on every `docker compose up` and
# every Kubernetes rollout. Runs in the temporalio/admin-tools image (busybox sh + the temporal CLI).
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must name the Temporal frontend (host:port)}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-7d}"
ATTEMPTS="${TEMPORAL_WAIT_ATTEMPTS:-90}"
ATTRIBUTES="OrderId CustomerId OrderStatus CartId"

attempt=1
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$ATTEMPTS" ]; then
    echo "Temporal at $TEMPORAL_ADDRESS is not healthy after $ATTEMPTS attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
  echo "namespace $NAMESPACE created (retention $RETENTION)"
fi

# A namespace just created can take a moment before its search attributes are writable: retry.
for name in $ATTRIBUTES; do
  attempt=1
  until temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
    | grep -Eq "(^|[[:space:]])$name[[:space:]]+Keyword([[:space:]]|$)"; do
    if [ "$attempt" -ge "$ATTEMPTS" ]; then
      echo "could not register search attribute $name in namespace $NAMESPACE" >&2
      exit 1
    fi
    temporal operator search-attribute create --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
      --name "$name" --type Keyword || true
    attempt=$((attempt + 1))
    sleep 1
  done
  echo "search attribute $name (Keyword) registered in namespace $NAMESPACE"
done
