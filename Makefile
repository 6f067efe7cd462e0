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
	@# One part at a time, each stopping the run when it fails: the fast tier; the packaged-application
	@# tests (failsafe: their own ports, databases, exchange and queue); the slow tier; the bays the real
	@# Nova, Neutron and Cinder build (@RealCloudTier); the test that stops Heat (@ExclusiveTier); then
	@# demo-progress on its own baystack beside the stock clients, then the browser, on `make run`'s port.
	@# Side by side on the CI machine's two cores, the JVMs starved the local cloud they share: Keystone
	@# answered token checks after more than 10 s, Neutron listed networks after 30 s, and the tests'
	@# leftover reaper took 5 minutes to delete 23 things.
	export BAYSTACK_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m -XX:+UseSerialGC"; \
	part() { echo "[$$(date +%T)] make test: $$1"; }; \
	part "fast tier"; $(MVNW) surefire:test@default-test || exit 1; \
	part "packaged-application tests"; \
	if ! BAYSTACK_TEST_DB=baystack_it $(MVNW) failsafe:integration-test failsafe:verify >.local/log/failsafe.log 2>&1; then \
	  cat .local/log/failsafe.log; exit 1; fi; grep -E 'Tests run:|BUILD' .local/log/failsafe.log; \
	part "slow tier"; $(MVNW) surefire:test@slow-test || exit 1; \
	part "real-cloud tier"; BAYSTACK_TEST_DB=baystack_real $(MVNW) surefire:test@real-test || exit 1; \
	part "exclusive tier"; $(MVNW) surefire:test@exclusive-test || exit 1; \
	part "demo-progress, stock clients, browser"; \
	bash tests/cli/demo-progress.sh & demo=$$!; status=0; \
	{ bash tests/cli/stock-clients.sh && bash tests/browser/local.sh; } || status=$$?; \
	wait $$demo || status=$$((status ? status : 1)); part "done ($$status)"; exit $$status
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
