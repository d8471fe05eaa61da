"""File kinds of the corpus: where a file of each language lives, how it starts and ends, and `write_items`, which
lays planted lines out in such files with ordinary code between them.

A snippet is a line (or a few) in the language of its file kind; `write_items` groups snippets by file kind, cuts
them into files of a few to a dozen snippets, and wraps each file in a header and footer of that language (module
docstring and imports, a class and method, a `<configuration>` element ...). JSON and notebooks are built as data
and serialised, so they are always well-formed.
"""
import json

from .layout import WORDS, fill

# kind: (paths relative to a project or home, header, footer, filler language)
# {W} a capitalised word, {w} a word. Paths starting with "~/" are in a home directory, others in a project.
KINDS = {
    "py": (["app/settings.py", "config.py", "scripts/sync_{w}.py", "src/{w}/client.py", "tools/{w}_export.py",
            "jobs/{w}_job.py", "manage_{w}.py"],
           "\"\"\"{W} integration: settings and client set-up.\"\"\"\nimport logging\nimport os\n\nimport requests\n",
           "\n\ndef main():\n    logger.info(\"{w} ready\")\n\n\nif __name__ == \"__main__\":\n    main()", "py"),
    "js": (["src/config.js", "server/{w}.js", "lib/{w}Client.js", "scripts/seed-{w}.js", "config/default.js"],
           "'use strict';\n\nconst express = require('express');\nconst axios = require('axios');\n",
           "\nmodule.exports = {{ start: () => console.log('{w} up') }};", "js"),
    "ts": (["src/config.ts", "src/services/{w}.service.ts", "src/lib/{w}.ts", "app/api/{w}/route.ts"],
           "import {{ Injectable }} from '@nestjs/common';\nimport axios from 'axios';\n",
           "\nexport default {{}};", "js"),
    "go": (["internal/{w}/client.go", "cmd/{w}/main.go", "pkg/config/{w}.go"],
           "package main\n\nimport (\n\t\"context\"\n\t\"log\"\n\t\"os\"\n\t\"time\"\n)\n\nfunc setup{W}(ctx context.Context) {{",
           "}}", "go"),
    "java": (["src/main/java/com/acme/{w}/{W}Config.java", "src/main/java/com/acme/{W}Client.java"],
             "package com.acme.{w};\n\nimport java.util.Map;\nimport org.slf4j.Logger;\nimport org.slf4j.LoggerFactory;\n\n"
             "public class {W}Config {{\n    private static final Logger LOG = LoggerFactory.getLogger({W}Config.class);\n\n"
             "    public static void configure() throws Exception {{",
             "    }}\n}}", "java"),
    "kt": (["src/main/kotlin/com/acme/{W}Module.kt"],
           "package com.acme\n\nimport org.slf4j.LoggerFactory\n\nprivate val log = LoggerFactory.getLogger(\"{w}\")\n\nfun configure{W}() {{",
           "}}", "kt"),
    "cs": (["src/Acme.{W}/{W}Service.cs", "Services/{W}Client.cs", "Program.cs"],
           "using System;\nusing System.Collections.Generic;\nusing System.Net;\nusing Microsoft.Extensions.Logging;\n\n"
           "namespace Acme.{W}\n{{\n    public class {W}Service\n    {{\n        private readonly ILogger _logger;\n\n"
           "        public void Configure()\n        {{",
           "        }}\n    }}\n}}", "cs"),
    "php": (["config/{w}.php", "src/{W}Service.php", "wp-config.php", "includes/{w}.inc.php"],
            "<?php\n// {W} configuration\n\nrequire_once __DIR__ . '/vendor/autoload.php';\n", "\nreturn true;", "php"),
    "rb": (["config/initializers/{w}.rb", "lib/{w}_client.rb", "app/services/{w}_sync.rb"],
           "# frozen_string_literal: true\n\nrequire 'net/http'\nrequire 'json'\n", "\nputs '{w} configured'", "rb"),
    "pl": (["bin/{w}-sync.pl", "lib/Acme/{W}.pm"],
           "#!/usr/bin/perl\nuse strict;\nuse warnings;\nuse LWP::UserAgent;\n", "\n1;", "pl"),
    "ps1": (["scripts/Deploy-{W}.ps1", "tools/Sync-{W}.ps1"],
            "#Requires -Version 5.1\nparam([string]$Environment = 'prod')\n", "\nWrite-Host 'done'", "ps1"),
    "sh": (["scripts/deploy.sh", "bin/{w}-sync.sh", "ci/run-{w}.sh", "scripts/bootstrap.sh", "deploy/{w}.sh"],
           "#!/usr/bin/env bash\nset -euo pipefail\n", "\necho \"{w} done\"", "sh"),
    "bat": (["scripts\\\\deploy-{w}.bat".replace("\\\\", "/"), "tools/{w}.cmd"],
            "@echo off\nsetlocal\n", "\nendlocal", "bat"),
    "csh": (["~/.cshrc", "~/.tcshrc", "~/.login"], "# csh start-up\nset path = ($path /usr/local/bin)\n", "", "sh"),
    "env": ([".env", ".env.production", ".env.local", "deploy/{w}.env", ".env.staging"], "# {W} service\n", "",
            "env"),
    "yaml": (["config/{w}.yml", "config/application.yaml", "deploy/values-prod.yaml", "ansible/group_vars/all.yml",
              "config/secrets.yml", ".github/workflows/{w}.yml"], "# {W} configuration\n{w}:", "", "yaml"),
    "k8s": (["k8s/{w}-deployment.yaml", "deploy/{w}.yaml", "helm/{w}/templates/deployment.yaml"],
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {w}\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: {w}\n          image: registry.internal.test/{w}:1.4.2\n          env:",
            "", None),
    "compose": (["docker-compose.yml", "compose.yaml", "deploy/docker-compose.prod.yml"],
                "services:\n  {w}:\n    image: registry.internal.test/{w}:latest\n    environment:", "", None),
    "properties": (["src/main/resources/application.properties", "config/{w}.properties",
                    "src/main/resources/application-prod.properties"], "# {W} settings\n", "", "properties"),
    "ini": (["config/{w}.ini", "settings.cfg", "setup.cfg", "conf/{w}.conf", "config.ini"], "[{w}]", "", "ini"),
    "toml": (["config/{w}.toml", "settings.toml", "Config.toml"], "[{w}]", "", "toml"),
    "tf": (["terraform/main.tf", "infra/{w}.tf", "modules/{w}/main.tf"],
           "provider \"aws\" {{\n  region = \"eu-west-1\"\n}}\n\nmodule \"{w}\" {{\n  source = \"./modules/{w}\"", "}}",
           "tf"),
    "tfvars": (["terraform/terraform.tfvars", "env/prod.tfvars"], "# {W} variables\nregion = \"eu-west-1\"", "",
               "tf"),
    "xml": (["src/main/resources/{w}-config.xml", "conf/{w}.xml", "config/{w}.xml"],
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{w}Config>", "</{w}Config>", "xml"),
    "spring": (["src/main/resources/applicationContext.xml", "WEB-INF/{w}-context.xml"],
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<beans xmlns=\"http://www.springframework.org/schema/beans\">\n"
               "  <bean id=\"{w}Client\" class=\"com.acme.{W}Client\">", "  </bean>\n</beans>", "xml"),
    "dotnet": (["Web.config", "App.config", "src/Acme.{W}/app.config"],
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings>",
               "  </appSettings>\n</configuration>", None),
    "docker": (["Dockerfile", "docker/{w}.Dockerfile", "build/Dockerfile"],
               "FROM python:3.11-slim\nLABEL maintainer=\"platform-team\"", "CMD [\"python\", \"-m\", \"{w}\"]", "docker"),
    "make": (["Makefile", "build/{w}.mk"], ".PHONY: build deploy\n", "\nbuild:\n\tgo build ./...", None),
    "c": (["src/{w}.c", "src/main.c"],
          "#include <stdio.h>\n#include <stdlib.h>\n\nint configure_{w}(void)\n{{", "    return 0;\n}}", "c"),
    "rs": (["src/{w}.rs", "src/config.rs"], "use std::time::Duration;\n\npub fn configure() {{", "}}", "rs"),
    "gradle": (["build.gradle", "{w}/build.gradle"],
               "plugins {{\n    id 'java'\n}}\n\nrepositories {{\n    maven {{\n        url 'https://nexus.internal.test/repository/{w}'\n        credentials {{",
               "        }}\n    }}\n}}", "groovy"),
    "htaccess": ([".htaccess", "public/.htaccess"], "RewriteEngine On", "", None),
    "nginx": (["nginx/{w}.conf", "conf.d/{w}.conf"],
              "server {{\n    listen 443 ssl;\n    server_name {w}.internal.test;\n    location /api/ {{\n"
              "        proxy_pass http://127.0.0.1:8080;", "    }}\n}}", None),
    "http": (["requests/{w}.http", "api/{w}.rest", "{w}.http"], "# REST Client requests for {w}\n", "", "http"),
    "md": (["README.md", "docs-internal/{w}-setup.md", "NOTES.md", "RUNBOOK.md"],
           "# {W} service\n\nInternal notes for running the {w} service locally.\n", "", "md"),
    "txt": (["notes/{w}-setup.txt", "~/notes/{w}.txt", "ops/{w}-credentials.txt", "~/Desktop/{w}-keys.txt"], "", "",
            None),
    "sql": (["db/migrations/0007_{w}_users.sql", "sql/setup_{w}.sql"], "-- {W} database set-up\nBEGIN;", "COMMIT;",
            None),
}


def kind_path(corpus, kind: str) -> str:
    rng = corpus.rng
    w = rng.choice(WORDS)
    rel = rng.choice(KINDS[kind][0]).format(w=w, W=w.capitalize())
    return corpus.home(rel[2:]) if rel.startswith("~/") else corpus.project(rel)


def write_items(corpus, items, min_per_file=3, max_per_file=12):
    """Lay out `items` -- dicts with kind, text, value, label -- in files of their kind, in the order given."""
    by_kind = {}
    for it in items:
        by_kind.setdefault(it["kind"], []).append(it)
    rng = corpus.rng
    for kind in sorted(by_kind):
        its = by_kind[kind]
        i = 0
        while i < len(its):
            n = rng.randint(min_per_file, max_per_file)
            chunk = its[i:i + n]
            i += n
            if kind == "json":
                write_json(corpus, chunk)
            elif kind == "ipynb":
                write_notebook(corpus, chunk)
            else:
                write_text(corpus, kind, chunk)


def write_text(corpus, kind, chunk):
    rng = corpus.rng
    paths, head, foot, filler = KINDS[kind]
    w = rng.choice(WORDS)
    doc = corpus.doc(kind_path(corpus, kind))
    if head:
        doc.add(head.format(w=w, W=w.capitalize()))
    for it in chunk:
        if filler and rng.random() < 0.5:
            doc.add(fill(rng, filler))
        doc.add(it["text"], *[(v, lab) for v, lab in it["marks"]])
    if foot:
        doc.add(foot.format(w=w, W=w.capitalize()))


def write_json(corpus, chunk):
    """A JSON config: {"service": ..., "<section>": {name: value, ...}} with the items' pairs."""
    rng = corpus.rng
    w = rng.choice(WORDS)
    path = corpus.project(rng.choice(["config/{w}.json", "appsettings.json", "config/default.json",
                                      "src/config/{w}.json", ".vscode/settings.json", "secrets.{w}.json"]).format(w=w))
    doc = corpus.doc(path)
    obj = {"service": w, "version": "2.%d.0" % rng.randint(0, 9), "logging": {"level": "info"}}
    section = obj.setdefault(rng.choice(["settings", "auth", "integrations", w]), {})
    marks = []
    for it in chunk:
        name, value = it["pair"]
        if name in section:
            section = obj.setdefault(w + str(len(obj)), {})
        section[name] = value
        marks.extend(it["marks"])
        if rng.random() < 0.3:
            section["timeout_ms"] = rng.choice([500, 1000, 3000])
    doc.add(json.dumps(obj, indent=2), *marks)


def write_notebook(corpus, chunk):
    """A Jupyter notebook (nbformat 4) whose code cells hold the items' lines."""
    rng = corpus.rng
    w = rng.choice(WORDS)
    doc = corpus.doc(corpus.project("notebooks/%s-analysis.ipynb" % w))
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# %s analysis\n" % w.capitalize()]},
             {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
              "source": ["import os\n", "import pandas as pd\n", "import requests"]}]
    marks = []
    for n, it in enumerate(chunk):
        lines = it["text"].split("\n")
        src = [ln + "\n" for ln in lines[:-1]] + [lines[-1]]
        cells.append({"cell_type": "code", "execution_count": n + 2, "metadata": {}, "outputs": [], "source": src})
        marks.extend(it["marks"])
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                      "source": ["df = pd.read_csv('%s.csv')\n" % w, "df.head()"]})
    nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                      "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    doc.add(json.dumps(nb, indent=1), *marks)
