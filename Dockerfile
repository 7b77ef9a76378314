# Build: the .NET SDK image plus Node (front-end packages come from npm at build time). Published exactly as
# bench/import.sh publishes (Release, for one runtime, framework-dependent, hence ReadyToRun: see KcCsp.Web.csproj),
# so the benchmarks measure the build as deployed.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/KcCsp.Web -c Release --os linux -a "${TARGETARCH:-amd64}" --self-contained false -o /app

# Run: a published build starts in Production (no project file beside it). Plain HTTP on 8080 behind the proxy in
# docker-compose.yml, which ends TLS; as the image's own non-root user, writing only its logs and the inbox.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /app/logs /var/kccsp/inbox && chown -R "$APP_UID" /app/logs /var/kccsp
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
# Health: /health/live (the process answers) and /health/ready (database reachable and migrated), for the
# container engine's or orchestrator's probes; docker-compose.yml checks /health/ready.
ENTRYPOINT ["dotnet", "KcCsp.Web.dll"]
