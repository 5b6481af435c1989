# collective.cron developer commands. Everything is installed under .venv/ and var/.
#   make run    a live Plone site with collective.cron, on http://localhost:$(PORT)/Plone
#               (open it as localhost: Plone serves the host name 127.0.0.1 unthemed)
#   make test   the whole test suite (zope.testrunner)
#   make browser-test   the browser tests in headless Chromium (docs/testing.rst)
# Plone 6 on Python 3 (the Huey job backend): the same targets with PLONE=6,
# e.g. make run PLONE=6, make test PLONE=6 (own .venv6/ and var/instance6);
# make run PLONE=6 REDIS=1 keeps its task store on a Redis server of its own.
SHELL := /bin/bash
PLONE ?= 5.2
ifeq ($(PLONE),6)
VENV := .venv6
CONSTRAINTS := constraints-plone6.txt
INSTANCE := var/instance6
# the other backend's own tests (its package does not import here)
OTHER_BACKEND := zcasync
else ifeq ($(PLONE),5.2)
VENV := .venv
CONSTRAINTS := constraints.txt
INSTANCE := var/instance
OTHER_BACKEND := hueybackend
else
$(error PLONE=$(PLONE): use PLONE=5.2 (the default, Python 2.7) or PLONE=6 (Python 3))
endif
BIN := $(VENV)/bin
# make run PLONE=6 REDIS=1: Huey's task store on a Redis server of our own
# (scripts/run-redis, on 127.0.0.1:$(REDIS_PORT), stopped with Zope)
REDIS ?=
REDIS_PORT ?= 6379
ifeq ($(REDIS),1)
ifneq ($(PLONE),6)
$(error REDIS=1 is for the Huey backend: make run PLONE=6 REDIS=1)
endif
export REDIS_URL := redis://127.0.0.1:$(REDIS_PORT)/0
SERVE_REDIS := $(REDIS_PORT)
endif
HOST ?= 127.0.0.1
PORT ?= 8080
ADMIN_USER ?= admin
ADMIN_PASSWORD ?= admin
SITE_ID ?= Plone
POLL_INTERVAL ?= 2
TEST_ARGS ?=

export HOST PORT ADMIN_USER ADMIN_PASSWORD SITE_ID POLL_INTERVAL

.PHONY: all egg-info run test instance bench clean check-python constraints buildout reliability browser-deps browser-test

all: $(VENV)/.installed

check-python:
	@test -n "$(PYTHON27)" || (echo "No Python 2.7 found (see the message above)." >&2; exit 1)

PYTHON27 = $(shell PYTHON="$(PYTHON)" scripts/find-python27)

# virtualenv < 20.22 is the last that creates Python 2.7 environments; it is
# installed in .tools/ so nothing outside the project changes.
.tools/virtualenv: | check-python
	@echo "Using $(PYTHON27)"
	$(PYTHON27) -m pip install --disable-pip-version-check -q --target $@ "virtualenv<20.22"

.venv/bin/python: | .tools/virtualenv
	PYTHONPATH=.tools/virtualenv $(PYTHON27) -m virtualenv -q .venv

.venv6/bin/python:
	@python3=$$(PYTHON3="$(PYTHON3)" scripts/find-python3) && echo "Using $$python3" && $$python3 -m venv .venv6

$(VENV)/.installed: $(VENV)/bin/python setup.py $(CONSTRAINTS)
	$(BIN)/pip install --disable-pip-version-check -q -c $(CONSTRAINTS) -e '.[test]'
	touch $@

# Python 3's editable install rewrites the shared src/collective.cron.egg-info
# without namespace_packages.txt; Python 2's z3c.autoinclude (in the instances
# of make run, of some tests, of the browser and reliability checks) then
# misses collective.cron: on Plone 5.2 the targets write it again first.
egg-info: $(VENV)/.installed
ifneq ($(PLONE),6)
	$(BIN)/python setup.py -q egg_info
endif

constraints: 
	$(BIN)/python scripts/make_constraints.py constraints.txt

instance: egg-info
	$(BIN)/python scripts/make_instance.py $(INSTANCE)

run: instance
ifeq ($(REDIS),1)
	scripts/install-redis
endif
	DEMO_CRON=1 scripts/serve.sh $(INSTANCE) $(BIN) $(SERVE_REDIS)

# Compiled page templates kept on disk, as a Plone instance keeps them:
# without it Chameleon compiles Plone's main_template for every page a
# functional test opens (the dashboard tests took 2.5 times as long).
TEMPLATE_CACHE := $(CURDIR)/var/chameleon-test-$(PLONE)

$(TEMPLATE_CACHE):
	mkdir -p $@

test: egg-info | $(TEMPLATE_CACHE)
ifeq ($(PLONE),6)
	scripts/install-redis  # the Huey contract on a Redis store starts one
endif
	CHAMELEON_CACHE=$(TEMPLATE_CACHE) $(BIN)/zope-testrunner --test-path=src -s collective.cron --auto-color --ignore_dir $(OTHER_BACKEND) $(TEST_ARGS)

# Benchmarks (not part of make test): prints a table, writes bench/results.json.
bench: egg-info
	$(BIN)/python bench/run.py

# Real ZEO server + Zope workers/instances on 127.0.0.1 (docs/reliability.rst);
# PLONE=6 also starts a Redis server (Debian's redis-server, installed when missing).
reliability: egg-info
ifeq ($(PLONE),6)
	scripts/install-redis
endif
	$(BIN)/python reliability/run.py

# Browser tests: Debian's chromium + chromium-driver (apt-get, when missing),
# a fresh live instance in var/browser-instance on a free port, the
# screenshots of docs/images, then the tests in browser_tests/.
# PLONE=6: .venv6's Python, var/browser-instance6 (Huey), its screenshots
# in var/browser-instance6/screenshots (docs/images keeps Plone 5.2's).
browser-deps: egg-info
	browser_tests/install-deps

browser-test: browser-deps
	$(BIN)/python browser_tests/run.py

clean:
	rm -rf .venv .venv6 $(BUILDOUT_VENV) .tools var/instance var/instance6 var/browser-instance var/browser-instance6 var/chameleon-test-* bin parts develop-eggs .installed.cfg

# bin/buildout for integrators who prefer buildout (own virtualenv).
BUILDOUT_VENV := .venv-buildout
buildout: bin/buildout

bin/buildout: | .tools/virtualenv
	PYTHONPATH=.tools/virtualenv $(PYTHON27) -m virtualenv -q $(BUILDOUT_VENV)
	$(BUILDOUT_VENV)/bin/pip install --disable-pip-version-check -q "setuptools==42.0.2" "zc.buildout==2.13.8"
	$(BUILDOUT_VENV)/bin/buildout -c test-plone-5.2.x.cfg bootstrap
