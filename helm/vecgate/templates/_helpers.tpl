{{/*
Names. The release's full name is cut to 40 characters so that the longest derived name
("<fullname>-gateway-headless", a Service name, at most 63) and the writer StatefulSet's
pod names stay within Kubernetes' limits.
*/}}
{{- define "vecgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" }}
{{- end }}

{{- define "vecgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "vecgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object; call with (dict "ctx" $ "component" "writer"). */}}
{{- define "vecgate.labels" -}}
helm.sh/chart: {{ include "vecgate.chart" .ctx }}
{{ include "vecgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: vecgate
{{- end }}

{{/* The labels that select one component's pods; call with (dict "ctx" $ "component" "writer"). */}}
{{- define "vecgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vecgate.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Object names per component. */}}
{{- define "vecgate.gateway.fullname" -}}{{ include "vecgate.fullname" . }}-gateway{{- end }}
{{- define "vecgate.writer.fullname" -}}{{ include "vecgate.fullname" . }}-writer{{- end }}
{{- define "vecgate.reader.fullname" -}}{{ include "vecgate.fullname" . }}-reader{{- end }}
{{- define "vecgate.redis.fullname" -}}{{ include "vecgate.fullname" . }}-redis{{- end }}
{{- define "vecgate.postgresql.fullname" -}}{{ include "vecgate.fullname" . }}-postgresql{{- end }}
{{- define "vecgate.config.fullname" -}}{{ include "vecgate.fullname" . }}-config{{- end }}
{{- define "vecgate.aliasStore.secretName" -}}
{{- if and (not .Values.redis.enabled) .Values.externalRedis.existingSecret -}}
{{ .Values.externalRedis.existingSecret }}
{{- else -}}
{{ include "vecgate.fullname" . }}-alias-store
{{- end -}}
{{- end }}
{{- define "vecgate.aliasStore.secretKey" -}}
{{- if and (not .Values.redis.enabled) .Values.externalRedis.existingSecret -}}
{{ .Values.externalRedis.existingSecretKey }}
{{- else -}}
uri
{{- end -}}
{{- end }}

{{- define "vecgate.dataClaimName" -}}
{{- if .Values.persistence.existingClaim -}}
{{ .Values.persistence.existingClaim }}
{{- else -}}
{{ include "vecgate.fullname" . }}-data
{{- end -}}
{{- end }}

{{- define "vecgate.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "vecgate.clusterName" -}}
{{ .Values.cluster.name | default (include "vecgate.fullname" .) }}
{{- end }}

{{/* The DNS name of a component's headless Service, which lists every pod of it, ready or not. */}}
{{- define "vecgate.headlessDns" -}}
{{ include "vecgate.fullname" .ctx }}-{{ .component }}-headless.{{ .ctx.Release.Namespace }}.svc.{{ .ctx.Values.clusterDomain }}
{{- end }}

{{/*
The alias store URI (distributed mode: Redis). Fails with what to set when there is none.
*/}}
{{- define "vecgate.aliasStore.uri" -}}
{{- if eq .Values.aliasStore.type "hazelcast" -}}
hazelcast
{{- else if .Values.redis.enabled -}}
{{- if .Values.redis.password -}}
redis://:{{ .Values.redis.password | urlquery | replace "+" "%20" }}@{{ include "vecgate.redis.fullname" . }}:{{ .Values.redis.port }}
{{- else -}}
redis://{{ include "vecgate.redis.fullname" . }}:{{ .Values.redis.port }}
{{- end -}}
{{- else if .Values.externalRedis.uri -}}
{{ .Values.externalRedis.uri }}
{{- else -}}
{{ fail "aliasStore.type is redis (distributed mode) but there is no Redis: set redis.enabled=true (Redis in the chart), or externalRedis.uri (redis://host:6379), or externalRedis.existingSecret (a Secret holding the URI)" }}
{{- end -}}
{{- end }}

{{/*
Checks of values that the schema cannot express; included by the ConfigMap so that every
render runs them.
*/}}
{{- define "vecgate.validate" -}}
{{- if and (eq .Values.aliasStore.type "redis") (not .Values.redis.enabled) (not .Values.externalRedis.uri) (not .Values.externalRedis.existingSecret) }}
{{- include "vecgate.aliasStore.uri" . }}
{{- end }}
{{- if and .Values.redis.enabled (or .Values.externalRedis.uri .Values.externalRedis.existingSecret) }}
{{- fail "redis.enabled=true and externalRedis.* are both set: choose one Redis (set redis.enabled=false to use the external one)" }}
{{- end }}
{{- if and .Values.externalRedis.uri (not (or (hasPrefix "redis://" .Values.externalRedis.uri) (hasPrefix "rediss://" .Values.externalRedis.uri))) }}
{{- fail (printf "externalRedis.uri: expected a Redis URI like redis://host:6379 or rediss://user:password@host:6380/0, got %q" .Values.externalRedis.uri) }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.read.host) (not .Values.ingress.write.host) }}
{{- fail "ingress.enabled=true needs ingress.read.host, ingress.write.host or both" }}
{{- end }}
{{- if and .Values.ingress.enabled .Values.ingress.read.host (eq .Values.ingress.read.host .Values.ingress.write.host) }}
{{- fail (printf "ingress.read.host and ingress.write.host are both %q: the read and write endpoints need separate domains (a write sent to the read endpoint gets 405)" .Values.ingress.read.host) }}
{{- end }}
{{- range $role := list "gateway" "writer" "reader" }}
{{- $managed := index (dict
      "gateway" (list "host" "node-id" "config" "cluster-name" "cluster-port" "cluster-members" "read-port" "write-port" "milvus-port" "alias-store" "alias-key-prefix" "alias-history" "data-dir")
      "writer" (list "host" "node-id" "config" "cluster-name" "cluster-port" "cluster-members" "http-port" "alias-store" "alias-key-prefix" "alias-history" "data-dir")
      "reader" (list "host" "node-id" "config" "cluster-name" "cluster-port" "cluster-members" "http-port" "grpc-port" "alias-store" "alias-key-prefix" "alias-history" "data-dir")) $role }}
{{- range $key, $value := (index $.Values $role).config }}
{{- if has $key $managed }}
{{- fail (printf "%s.config.%s: the chart sets this option itself (ports: %s.ports, cluster: cluster.*, aliases: aliasStore.*, data: persistence.mountPath); remove it from %s.config" $role $key $role $role) }}
{{- end }}
{{- if not (regexMatch "^[a-z][a-z0-9-]*$" $key) }}
{{- fail (printf "%s.config: expected option names without dashes in front, like refresh-interval, got %q" $role $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* One role's properties file: the chart's settings, then the role's `config` values. */}}
{{- define "vecgate.properties" -}}
{{- $ctx := .ctx -}}
{{- $role := .role -}}
# vecgate {{ $role }} options (keys are option names; see `vecgate {{ $role }} --help`).
# Set by the chart; the environment (VECGATE_*) wins over this file.
cluster-name={{ include "vecgate.clusterName" $ctx }}
cluster-port={{ $ctx.Values.cluster.port }}
log-format={{ $ctx.Values.log.format }}
log-level={{ $ctx.Values.log.level }}
{{- if eq $role "gateway" }}
read-port={{ $ctx.Values.gateway.ports.read }}
write-port={{ $ctx.Values.gateway.ports.write }}
milvus-port={{ $ctx.Values.gateway.ports.milvus | int | eq 0 | ternary -1 $ctx.Values.gateway.ports.milvus }}
{{- else if eq $role "writer" }}
data-dir={{ $ctx.Values.persistence.mountPath }}
http-port={{ $ctx.Values.writer.ports.http }}
{{- else }}
data-dir={{ $ctx.Values.persistence.mountPath }}
http-port={{ $ctx.Values.reader.ports.http }}
grpc-port={{ $ctx.Values.reader.ports.grpc }}
{{- end }}
{{- with (index $ctx.Values $role).config }}
# From {{ $role }}.config:
{{- range $key, $value := . }}
{{ $key }}={{ $value }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The container environment every role shares; call with (dict "ctx" $ "role" "writer").
Env wins over the properties file, so per-pod values (address, name) and the alias store (a
Secret, since its URI may hold a password) come this way.
*/}}
{{- define "vecgate.env" -}}
{{- $ctx := .ctx -}}
- name: VECGATE_HOST
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: VECGATE_NODE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- if eq $ctx.Values.aliasStore.type "hazelcast" }}
- name: VECGATE_ALIAS_STORE
  value: hazelcast
{{- else }}
- name: VECGATE_ALIAS_STORE
  valueFrom:
    secretKeyRef:
      name: {{ include "vecgate.aliasStore.secretName" $ctx }}
      key: {{ include "vecgate.aliasStore.secretKey" $ctx }}
{{- end }}
- name: VECGATE_ALIAS_KEY_PREFIX
  value: {{ $ctx.Values.aliasStore.keyPrefix | quote }}
- name: VECGATE_ALIAS_HISTORY
  value: {{ $ctx.Values.aliasStore.history | quote }}
- name: VECGATE_CLUSTER_PORT
  value: {{ $ctx.Values.cluster.port | quote }}
- name: VECGATE_CLUSTER_DNS
  value: {{ printf "%s,%s,%s" (include "vecgate.headlessDns" (dict "ctx" $ctx "component" "writer")) (include "vecgate.headlessDns" (dict "ctx" $ctx "component" "gateway")) (include "vecgate.headlessDns" (dict "ctx" $ctx "component" "reader")) | quote }}
- name: VECGATE_CLUSTER_DNS_WAIT_SECONDS
  value: {{ $ctx.Values.cluster.dnsWaitSeconds | quote }}
{{- if ne .role "writer" }}
- name: VECGATE_CLUSTER_WAIT_FOR
  value: {{ printf "%s-0.%s:%v" (include "vecgate.writer.fullname" $ctx) (include "vecgate.headlessDns" (dict "ctx" $ctx "component" "writer")) $ctx.Values.cluster.port | quote }}
- name: VECGATE_CLUSTER_WAIT_SECONDS
  value: {{ $ctx.Values.cluster.waitForWriterSeconds | quote }}
{{- end }}
{{- with $ctx.Values.auth.existingSecret }}
{{- range $level := list "read" "write" "admin" }}
- name: VECGATE_{{ upper $level }}_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $.ctx.Values.auth.existingSecret }}
      key: {{ index $.ctx.Values.auth (printf "%sTokenKey" $level) }}
      # A key that is not there leaves its level open.
      optional: true
{{- end }}
{{- end }}
{{- if and $ctx.Values.tls.existingSecret (ne .role "writer") }}
- name: VECGATE_TLS_CERT
  value: /etc/vecgate-tls/tls.crt
- name: VECGATE_TLS_KEY
  value: /etc/vecgate-tls/tls.key
- name: {{ eq .role "gateway" | ternary "VECGATE_READER_TLS_CA" "VECGATE_TLS_CLIENT_CA" }}
  value: /etc/vecgate-tls/ca.crt
{{- end }}
{{- if and $ctx.Values.tls.existingSecret $ctx.Values.tls.eventBus }}
- name: VECGATE_CLUSTER_TLS_CERT
  value: /etc/vecgate-tls/tls.crt
- name: VECGATE_CLUSTER_TLS_KEY
  value: /etc/vecgate-tls/tls.key
- name: VECGATE_CLUSTER_TLS_CA
  value: /etc/vecgate-tls/ca.crt
{{- end }}
- name: JAVA_OPTS
  value: {{ (index $ctx.Values .role).javaOpts | quote }}
{{- with (index $ctx.Values .role).extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Pod annotations every role shares: config checksums (pods roll when config changes) and Prometheus scraping. */}}
{{- define "vecgate.podAnnotations" -}}
{{- $ctx := .ctx -}}
checksum/config: {{ include (print $ctx.Template.BasePath "/configmap.yaml") $ctx | sha256sum }}
checksum/secret: {{ include (print $ctx.Template.BasePath "/secret.yaml") $ctx | sha256sum }}
{{- if $ctx.Values.metrics.prometheusAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/path: /metrics
prometheus.io/port: {{ .port | quote }}
{{- end }}
{{- with (index $ctx.Values .role).podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Startup, liveness and readiness probes on the node endpoints; call with (dict "ctx" $ "role" "writer" "port" "http").
The gateway's endpoints are HTTPS with tls.existingSecret.
*/}}
{{- define "vecgate.probes" -}}
{{- $p := (index .ctx.Values .role).probes -}}
{{- $scheme := and (ne .ctx.Values.tls.existingSecret "") (eq .role "gateway") | ternary "HTTPS" "HTTP" -}}
startupProbe:
  httpGet:
    path: /health/live
    port: {{ .port }}
    scheme: {{ $scheme }}
  periodSeconds: {{ $p.startup.periodSeconds }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /health/live
    port: {{ .port }}
    scheme: {{ $scheme }}
  periodSeconds: {{ $p.liveness.periodSeconds }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: {{ .port }}
    scheme: {{ $scheme }}
  periodSeconds: {{ $p.readiness.periodSeconds }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
{{- end }}

{{/* Volumes every role shares: the config (properties and start script) and a writable /tmp. */}}
{{- define "vecgate.volumes" -}}
- name: config
  configMap:
    name: {{ include "vecgate.config.fullname" . }}
- name: tmp
  emptyDir: {}
{{- end }}

{{/* The TLS Secret of gateways and readers (tls.existingSecret), as a volume and its mount. */}}
{{- define "vecgate.tls.volume" -}}
{{- with .Values.tls.existingSecret }}
- name: tls
  secret:
    secretName: {{ . }}
{{- end }}
{{- end }}
{{- define "vecgate.tls.mount" -}}
{{- if .Values.tls.existingSecret }}
- name: tls
  mountPath: /etc/vecgate-tls
  readOnly: true
{{- end }}
{{- end }}

{{- define "vecgate.data.volume" -}}
- name: data
  persistentVolumeClaim:
    claimName: {{ include "vecgate.dataClaimName" . }}
{{- end }}

{{/* The container command: the chart's start script (cluster members), then the role. */}}
{{- define "vecgate.command" -}}
command: ["/bin/bash", "/etc/vecgate/start.sh"]
args: [{{ .role | quote }}, "--config", {{ printf "/etc/vecgate/%s.properties" .role | quote }}]
{{- end }}

{{/* Scheduling and pod-level settings; call with (dict "ctx" $ "role" "writer"). */}}
{{- define "vecgate.podSpecCommon" -}}
{{- $ctx := .ctx -}}
{{- $v := index $ctx.Values .role -}}
automountServiceAccountToken: false
{{- with $ctx.Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
{{- with $ctx.Values.imagePullSecrets }}
imagePullSecrets:
{{ toYaml . }}
{{- end }}
{{- with $ctx.Values.podSecurityContext }}
securityContext:
{{ toYaml . | indent 2 }}
{{- end }}
terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
{{- with $v.nodeSelector }}
nodeSelector:
{{ toYaml . | indent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
{{ toYaml . }}
{{- end }}
{{- with $v.affinity }}
affinity:
{{ toYaml . | indent 2 }}
{{- end }}
{{- with $v.topologySpreadConstraints }}
topologySpreadConstraints:
{{ toYaml . }}
{{- end }}
{{- end }}
