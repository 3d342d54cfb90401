{{/* Chart name, truncated to fit a DNS label. */}}
{{- define "zhengyun.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Prefix of every object name: the release name when it already contains the chart name, else
<release>-<chart>. Truncated so that "<fullname>-controller-scope" still fits in 63 characters.
*/}}
{{- define "zhengyun.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "zhengyun.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "zhengyun.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "zhengyun.labels" -}}
helm.sh/chart: {{ include "zhengyun.chart" . }}
app.kubernetes.io/name: {{ include "zhengyun.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: zhengyun
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: call with (dict "root" $ "component" "portal"). */}}
{{- define "zhengyun.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zhengyun.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Labels of one component's objects: call with (dict "root" $ "component" "portal"). */}}
{{- define "zhengyun.componentLabels" -}}
{{ include "zhengyun.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The image reference: repository:tag, with @digest when pinned. */}}
{{- define "zhengyun.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The egress gateway's image reference, as zhengyun.image. */}}
{{- define "zhengyun.egressImage" -}}
{{- $i := .Values.egress.gateway.image -}}
{{- if $i.digest -}}
{{- printf "%s:%s@%s" $i.repository $i.tag $i.digest -}}
{{- else -}}
{{- printf "%s:%s" $i.repository $i.tag -}}
{{- end -}}
{{- end -}}

{{/* The unified egress's namespace: the controller's (policies' EGRESS_NAMESPACE). */}}
{{- define "zhengyun.egressNamespace" -}}
zhengyun-egress
{{- end -}}

{{- define "zhengyun.controllerServiceAccount" -}}
{{- .Values.controller.serviceAccount.name | default (printf "%s-controller" (include "zhengyun.fullname" .)) -}}
{{- end -}}

{{- define "zhengyun.portalServiceAccount" -}}
{{- printf "%s-portal" (include "zhengyun.fullname" .) -}}
{{- end -}}

{{/* Secret holding the cookie key: the given one, or the chart's own. */}}
{{- define "zhengyun.cookieSecretName" -}}
{{- .Values.portal.cookieSecret.existingSecret | default (printf "%s-cookie" (include "zhengyun.fullname" .)) -}}
{{- end -}}

{{- define "zhengyun.tlsSecretName" -}}
{{- .Values.ingress.tls.secretName | default (printf "%s-tls" (include "zhengyun.fullname" .)) -}}
{{- end -}}

{{/* "true" or "false": whether the portal marks cookies Secure. */}}
{{- define "zhengyun.trustProxy" -}}
{{- $mode := toString .Values.portal.trustProxy -}}
{{- if eq $mode "auto" -}}
{{- ternary "1" "false" .Values.ingress.enabled -}}
{{- else -}}
{{- $mode -}}
{{- end -}}
{{- end -}}

{{- define "zhengyun.secureCookies" -}}
{{- $mode := toString .Values.portal.secureCookies -}}
{{- if eq $mode "auto" -}}
{{- or (and .Values.ingress.enabled .Values.ingress.tls.enabled) (and .Values.oidc.enabled (hasPrefix "https://" .Values.oidc.redirectUri)) | toString -}}
{{- else -}}
{{- $mode -}}
{{- end -}}
{{- end -}}

{{/* Pod-level security context: non-root, RuntimeDefault seccomp (Pod Security "restricted"). */}}
{{- define "zhengyun.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security context, repeated on every container (policies read it per container). */}}
{{- define "zhengyun.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The database URL, from the operator's Secret. */}}
{{- define "zhengyun.databaseEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.key }}
{{- with .Values.database.runtimeRole }}
- name: ZHENGYUN_RUNTIME_ROLE
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* The schema owner's URL, for whoever migrates: the migration Job, or the pods when it is disabled. */}}
{{- define "zhengyun.migrationDatabaseEnv" -}}
{{- if .Values.database.migration.existingSecret }}
- name: MIGRATION_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.migration.existingSecret }}
      key: {{ .Values.database.migration.key }}
{{- end }}
{{- end -}}

{{/* Environment every container shares: a writable HOME and temp dir on the scratch volume. */}}
{{- define "zhengyun.baseEnv" -}}
- name: NODE_ENV
  value: production
- name: HOME
  value: /tmp
- name: TMPDIR
  value: /tmp
{{- end -}}

{{/* Default anti-affinity: spread a component's replicas over nodes when possible. */}}
{{- define "zhengyun.affinity" -}}
{{- if .affinity -}}
{{ toYaml .affinity }}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "zhengyun.selectorLabels" (dict "root" .root "component" .component) | nindent 12 }}
{{- end -}}
{{- end -}}

{{/* Egress to DNS, shared by every pod of the chart. */}}
{{- define "zhengyun.dnsEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns.to | nindent 4 }}
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end -}}

{{/* Egress to PostgreSQL, shared by every pod of the chart. */}}
{{- define "zhengyun.databaseEgress" -}}
- ports:
    - protocol: TCP
      port: {{ .Values.networkPolicy.database.port }}
  {{- with .Values.networkPolicy.database.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
