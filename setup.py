# -*- coding: utf-8 -*-
from setuptools import find_packages
from setuptools import setup

import io
import sys


def read(name):
    with io.open(name, encoding='utf-8') as handle:
        return handle.read()


setup(
    name='collective.cron',
    version='3.0.0.dev0',
    description='Cron-like scheduled tasks for Plone sites, on plone.app.async / zc.async',
    long_description=read('README.rst') + '\n\n' + read('CHANGES.rst'),
    classifiers=[
        'Environment :: Web Environment',
        'Framework :: Plone',
        'Framework :: Plone :: 5.2',
        'Framework :: Plone :: Addon',
        'License :: OSI Approved :: GNU General Public License v2 (GPLv2)',
        'Framework :: Plone :: 6.2',
        'Programming Language :: Python :: 2.7',
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3.12',
    ],
    keywords='plone cron scheduler zc.async',
    license='GPL version 2',
    packages=find_packages('src'),
    package_dir={'': 'src'},
    # setuptools' namespace_packages (pkg_resources) only on Python 2;
    # on Python 3 collective/__init__.py falls back to pkgutil.
    namespace_packages=['collective'] if sys.version_info[0] == 2 else [],
    include_package_data=True,
    zip_safe=False,
    # Python 2.7 (Plone 5.2, zc.async) or 3.10+ (Plone 6, Huey)
    python_requires=('>=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, '
                     '!=3.5.*, !=3.6.*, !=3.7.*, !=3.8.*, !=3.9.*'),
    install_requires=[
        'setuptools',
        'Products.CMFPlone',
        'plone.app.registry',
        'plone.app.z3cform',
        'plone.api',
        'plone.app.async; python_version < "3"',
        'plone.restapi',
        'zc.async; python_version < "3"',
        'Twisted<20.4; python_version < "3"',
        'huey; python_version >= "3"',
        'redis; python_version >= "3"',
        'croniter',
        'cron-descriptor',
        # cron-descriptor 1.4.0 imports enum without declaring it
        'enum34; python_version < "3"',
        'pytz',
        'six',
    ],
    extras_require={
        'test': [
            'plone.app.testing',
            'plone.app.contenttypes',
            'plone.testing',
            'requests',
            'zope.testrunner',
            'selenium',  # browser_tests/ (make browser-test)
            'ZEO',  # reliability/ (make reliability): its ZEO server
        ],
    },
    entry_points={
        'z3c.autoinclude.plugin': ['target = plone'],
    },
)
