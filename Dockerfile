# OpenDDB in a container: a drop-in for the amazon/dynamodb-local image (port 8000,
# its command-line arguments accepted), with data kept in the /data volume.
#   docker build -t openddb .
#   docker run -p 8000:8000 -v openddb-data:/data openddb
#   docker run -p 8000:8000 openddb --in-memory
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
COPY test ./test
COPY bench ./bench
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    OPENDDB_HOST=0.0.0.0 \
    OPENDDB_PORT=8000 \
    OPENDDB_DATA_DIR=/data
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/console ./dist/console
# A user of its own that owns only where data goes: /data, and ./data under the
# working directory DynamoDB Local's image uses, so compose files that pass
# `-dbPath ./data` and mount a volume at /home/dynamodblocal/data keep working.
RUN groupadd --system openddb \
    && useradd --system --gid openddb --home-dir /home/dynamodblocal openddb \
    && mkdir -p /data /home/dynamodblocal/data \
    && chown -R openddb:openddb /data /home/dynamodblocal
WORKDIR /home/dynamodblocal
USER openddb
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OPENDDB_PORT || 8000) + '/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Arguments after the image name are openddb's flags, or DynamoDB Local's
# (`-jar DynamoDBLocal.jar -sharedDb -inMemory`, `-port 8000`, `-dbPath ./data`).
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
