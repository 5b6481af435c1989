# -*- coding: utf-8 -*-
from setuptools import find_packages
from setuptools import setup

import io


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
        'Programming Language :: Python :: 2.7',
    ],
    keywords='plone cron scheduler zc.async',
    license='GPL version 2',
    packages=find_packages('src'),
    package_dir={'': 'src'},
    namespace_packages=['collective'],
    include_package_data=True,
    zip_safe=False,
    python_requires='==2.7.*',
    install_requires=[
        'setuptools',
        'Products.CMFPlone',
        'plone.app.registry',
        'plone.app.z3cform',
        'plone.api',
        'plone.app.async',
        'plone.restapi',
        'zc.async',
        'Twisted<20.4',
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
        ],
    },
    entry_points={
        'z3c.autoinclude.plugin': ['target = plone'],
    },
)
