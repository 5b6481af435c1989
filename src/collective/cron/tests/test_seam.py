# -*- coding: utf-8 -*-
"""The queue manager is the only seam to the job backend: no module of
collective.cron outside the backend package imports the backend's
libraries or the backend package itself, except the modules kept at their
former paths for add-ons (each names the backend module it stands for)."""
import ast
import os
import unittest
from xml.etree import ElementTree

import collective.cron

PACKAGE = os.path.dirname(collective.cron.__file__)
#: the backend package (relative to the package, as a folder)
BACKEND = 'zcasync'
#: imports that belong to the zc.async backend
BACKEND_LIBRARIES = ('zc.async', 'zc.twist', 'plone.app.async')
#: zcml files that may name the backend: configure.zcml includes it;
#: worker.zcml and instance.zcml set up its processes (kept at their paths)
ZCML_ENTRY_POINTS = ('configure.zcml', 'worker.zcml', 'instance.zcml')
#: zcml attributes that name Python objects or packages
ZCML_NAMES = ('for', 'factory', 'handler', 'package', 'provides',
              'component', 'class', 'initialize', 'interface')
#: modules at former paths that stand for the backend's (relative paths)
SHIMS = ('queue.py', 'marker.py', 'worker.py', 'compat.py', 'testing.py',
         os.path.join('adapters', 'ploneappasync.py'))


def modules():
    """The package's own modules (relative paths), the tests excepted."""
    for folder, dirs, files in os.walk(PACKAGE):
        relative = os.path.relpath(folder, PACKAGE)
        top = relative.split(os.sep)[0]
        if top in ('tests', BACKEND):
            dirs[:] = []
            continue
        for name in files:
            if name.endswith('.py'):
                yield os.path.normpath(os.path.join(relative, name))


def zcml_files():
    """The package's own zcml files (relative paths), the tests' and the
    backend's excepted."""
    for folder, dirs, files in os.walk(PACKAGE):
        relative = os.path.relpath(folder, PACKAGE)
        if relative.split(os.sep)[0] in ('tests', BACKEND):
            dirs[:] = []
            continue
        for name in files:
            if name.endswith('.zcml'):
                yield os.path.normpath(os.path.join(relative, name))


def zcml_names(path):
    """The dotted names that the zcml file at ``path`` refers to."""
    tree = ElementTree.parse(os.path.join(PACKAGE, path))
    names = []
    for element in tree.iter():
        for attribute in ZCML_NAMES:
            names.extend(element.get(attribute, '').split())
    return names


def imported(path):
    """The dotted names that the module at ``path`` imports (for
    ``from a import b``: both 'a' and 'a.b')."""
    with open(os.path.join(PACKAGE, path)) as source:
        tree = ast.parse(source.read(), path)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
            names.extend('%s.%s' % (node.module, alias.name)
                         for alias in node.names)
    return names


def within(name, prefix):
    return name == prefix or name.startswith(prefix + '.')


class TestSeam(unittest.TestCase):

    def test_the_scan_sees_the_package(self):
        found = set(modules())
        self.assertIn('job.py', found)
        self.assertIn(os.path.join('browser', 'dashboard.py'), found)
        self.assertNotIn(os.path.join(BACKEND, 'queue.py'), found)
        self.assertIn('zc.async.interfaces', imported(
            os.path.join(BACKEND, 'queue.py')))

    def test_no_module_imports_the_backend_libraries(self):
        offenders = sorted(
            '%s: %s' % (path, name) for path in modules()
            for name in imported(path)
            if any(within(name, lib) for lib in BACKEND_LIBRARIES))
        self.assertEqual(offenders, [])

    def test_only_the_former_paths_import_the_backend_package(self):
        backend = 'collective.cron.' + BACKEND
        offenders = sorted(
            path for path in modules() if path not in SHIMS
            and any(within(name, backend) for name in imported(path)))
        self.assertEqual(offenders, [])

    def test_zcml_names_the_backend_only_in_its_entry_points(self):
        self.assertIn('.zcasync', zcml_names('configure.zcml'))
        offenders = sorted(
            '%s: %s' % (path, name) for path in zcml_files()
            if path not in ZCML_ENTRY_POINTS for name in zcml_names(path)
            if 'async' in name or 'twist' in name)
        self.assertEqual(offenders, [])

    def test_the_former_paths_are_the_backend_modules(self):
        from collective.cron import compat, marker, queue, testing, worker
        from collective.cron.zcasync import compat as backend_compat
        from collective.cron.zcasync import marker as backend_marker
        from collective.cron.zcasync import queue as backend_queue
        from collective.cron.zcasync import testing as backend_testing
        from collective.cron.zcasync import worker as backend_worker
        self.assertIs(queue, backend_queue)
        self.assertIs(marker, backend_marker)
        self.assertIs(worker, backend_worker)
        self.assertIs(compat, backend_compat)
        self.assertIs(testing, backend_testing)
