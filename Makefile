# baystack: the commands a developer needs. `make help` lists them.
SHELL := /bin/bash
MVNW  := ./mvnw -B -ntp

.DEFAULT_GOAL := help
.PHONY: help deps services build app app-stop run stop test test-fast manifests native native-check bench bench-start vm-check clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

deps: ## install the Debian packages baystack and its local cloud need (only what is missing)
	bash scripts/install-deps.sh

services: deps ## start PostgreSQL, RabbitMQ, Keystone and Heat on loopback (idempotent)
	bash scripts/local-up.sh

build: ## package baystack (JVM mode)
	$(MVNW) -q package -DskipTests

app: services build ## start baystack in the background against the local services
	bash scripts/run-app.sh

run: app ## everything: local cloud + baystack + the seed's testbay, waited to CREATE_COMPLETE
	bash scripts/demo-bay.sh

app-stop: ## stop baystack only, leaving the local cloud running
	bash scripts/local-down.sh app

stop: ## stop baystack and the local services this project started
	bash scripts/local-down.sh

test-fast: services ## the fast tier alone (@FastTier: unit + PostgreSQL/Keystone, no Heat), under 2 minutes
	$(MVNW) test -DskipSlowTests=true

test: services manifests ## the fast tier first (a failure stops there), then real Heat end to end (+ stock clients, browser)
	@# the nodes' bootstrap scripts as written (the end-to-end tests check them again as Nova got them)
	shellcheck -x -P src/main/resources/heat/bootstrap src/main/resources/heat/bootstrap/*.sh
	$(MVNW) -q package -DskipTests
	@# its parts, grouped for two cores (tests/run-parts.sh says how and why)
	bash tests/run-parts.sh
	$(MAKE) native-check

manifests: ## validate deploy/knative/*.yaml offline against the Kubernetes and Knative schemas
	cd tools/manifests && npm ci --no-audit --no-fund --loglevel=error && node validate.mjs ../../deploy/knative

native-check: ## Quarkus's native build steps in sources-only mode (no GraalVM here): native build-time errors fail
	$(MVNW) -q package -DskipTests -Dnative -Dquarkus.native.sources-only=true
	test -f target/native-sources/native-image.args

native: ## the native executable (needs GraalVM/Mandrel 25 with native-image; not available on these machines)
	$(MVNW) package -DskipTests -Dnative

vm-check: services build ## a bay master's bootstrap for real: Debian VM (debootstrap + qemu) with the user data Heat rendered -> target/vm-check/report.md
	bash scripts/vm-check.sh

bench: services build ## speed beside its limits (hey, pgbench): creates, lists at 10 000 bays, RSS, freshness -> target/bench/report.md
	bash scripts/bench.sh

bench-start: services build ## start time to the first GET /v1/bays and RSS: JDK 17, Temurin 25, Temurin 25 + AOT cache
	bash scripts/bench-start.sh

clean: stop ## stop everything and remove build output and local state
	rm -rf target .local
