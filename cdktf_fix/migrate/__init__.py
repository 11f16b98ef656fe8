"""Moving a project from one framework to another (CDKTF -> CDK Terrain: ``cdktf`` becomes
``cdktn``, ``cdktf-cdktf-provider-<p>`` becomes ``cdktn-provider-<p>``) and from one provider
release to another: ``dependencies`` plans the edits of the dependency files that name the
packages, ``run`` repairs the code against the versions the project now targets and writes a
project all or nothing (``cdktf-fix migrate`` and ``cdktf-fix upgrade``).
"""
