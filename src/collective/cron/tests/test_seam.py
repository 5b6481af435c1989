# -*- coding: utf-8 -*-
"""The queue manager is the only seam to the job backends: no module of
collective.cron outside a backend package imports that backend's libraries
(zc.async's for collective.cron.zcasync, huey and redis for
collective.cron.hueybackend) or the backend package itself, except the
modules kept at their former paths for add-ons (each names the backend
module it stands for); a backend never imports the other."""
import ast
import os
import re
import sys
import unittest
from xml.etree import ElementTree

import collective.cron

PACKAGE = os.path.dirname(collective.cron.__file__)
#: each backend package (relative to the package, as a folder) and the
#: libraries that only it may import
BACKENDS = {
    'zcasync': ('zc.async', 'zc.twist', 'plone.app.async'),
    'hueybackend': ('huey', 'redis'),
}
#: zcml files that may name a backend: configure.zcml includes them;
#: worker.zcml and instance.zcml set up zc.async's processes (kept at their
#: paths)
ZCML_ENTRY_POINTS = {
    'zcasync': ('configure.zcml', 'worker.zcml', 'instance.zcml'),
    'hueybackend': ('configure.zcml',),
}
#: words that name a backend or its libraries in zcml
ZCML_WORDS = {
    'zcasync': ('async', 'twist'),
    'hueybackend': ('huey', 'redis'),
}
#: zcml attributes that name Python objects or packages
ZCML_NAMES = ('for', 'factory', 'handler', 'package', 'provides',
              'component', 'class', 'initialize', 'interface')
#: modules at former paths that stand for a backend's (relative paths)
SHIMS = ('queue.py', 'marker.py', 'worker.py', 'compat.py', 'testing.py',
         os.path.join('adapters', 'ploneappasync.py'))


def walk(extension, skipped):
    """The package's files ending with ``extension`` (relative paths),
    those under the top folders ``skipped`` excepted."""
    for folder, dirs, files in os.walk(PACKAGE):
        relative = os.path.relpath(folder, PACKAGE)
        if relative.split(os.sep)[0] in skipped:
            dirs[:] = []
            continue
        for name in files:
            if name.endswith(extension):
                yield os.path.normpath(os.path.join(relative, name))


def modules(skipped=('tests',) + tuple(BACKENDS)):
    """The package's own modules (relative paths), the tests' and the
    backends' excepted unless ``skipped`` says otherwise."""
    return walk('.py', skipped)


def zcml_files():
    """The package's own zcml files (relative paths), the tests' and the
    backends' excepted."""
    return walk('.zcml', ('tests',) + tuple(BACKENDS))


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
        text = source.read()
    try:
        tree = ast.parse(text, path)
    except SyntaxError:
        return imported_lines(text)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
            names.extend('%s.%s' % (node.module, alias.name)
                         for alias in node.names)
    return names


#: one-line import statements
IMPORT_LINE = re.compile(r'^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+'
                         r'([\w, \t]+)|import[ \t]+([\w., \t]+))', re.M)


def imported_lines(text):
    """imported() for a module that this Python cannot parse: Python 3
    cannot parse the zc.async backend's modules (``async`` is a keyword
    there), whose imports are one a line."""
    names = []
    for module, members, plain in IMPORT_LINE.findall(text):
        if plain:
            names.extend(name.strip() for name in plain.split(','))
            continue
        names.append(module)
        names.extend('%s.%s' % (module, member.strip())
                     for member in members.split(',') if member.strip())
    return names


def within(name, prefix):
    return name == prefix or name.startswith(prefix + '.')


class TestSeam(unittest.TestCase):

    def test_the_scan_sees_the_package(self):
        found = set(modules())
        self.assertIn('job.py', found)
        self.assertIn(os.path.join('browser', 'dashboard.py'), found)
        for backend in BACKENDS:
            self.assertNotIn(os.path.join(backend, 'queue.py'), found)
        self.assertIn('zc.async.interfaces', imported(
            os.path.join('zcasync', 'queue.py')))
        self.assertIn('huey', imported(os.path.join('hueybackend',
                                                    'store.py')))

    def test_only_its_backend_imports_a_backend_library(self):
        offenders = []
        for backend, libraries in BACKENDS.items():
            for path in modules(skipped=('tests', backend)):
                offenders.extend(
                    '%s: %s' % (path, name) for name in imported(path)
                    if any(within(name, lib) for lib in libraries))
        self.assertEqual(sorted(offenders), [])

    def test_only_the_former_paths_import_a_backend_package(self):
        offenders = sorted(
            path for path in modules() if path not in SHIMS
            and any(within(name, 'collective.cron.' + backend)
                    for name in imported(path) for backend in BACKENDS))
        self.assertEqual(offenders, [])

    def test_a_backend_does_not_import_the_other(self):
        offenders = []
        for backend in BACKENDS:
            others = ['collective.cron.' + other for other in BACKENDS
                      if other != backend]
            for path in walk('.py', ()):
                if path.split(os.sep)[0] != backend:
                    continue
                offenders.extend(
                    '%s: %s' % (path, name) for name in imported(path)
                    if any(within(name, other) for other in others))
        self.assertEqual(sorted(offenders), [])

    def test_zcml_names_a_backend_only_in_its_entry_points(self):
        names = zcml_names('configure.zcml')
        self.assertIn('.zcasync', names)
        self.assertIn('.hueybackend', names)
        offenders = sorted(
            '%s: %s' % (path, name) for backend in BACKENDS
            for path in zcml_files()
            if path not in ZCML_ENTRY_POINTS[backend]
            for name in zcml_names(path)
            if any(word in name for word in ZCML_WORDS[backend]))
        self.assertEqual(offenders, [])

    def test_the_former_paths_are_this_pythons_backend_modules(self):
        from collective.cron import testing
        if sys.version_info[0] > 2:
            from collective.cron.hueybackend import testing as huey_testing
            self.assertIs(testing, huey_testing)
            return
        from collective.cron import compat, marker, queue, worker
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
