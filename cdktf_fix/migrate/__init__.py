"""Moving a project from one framework to another (CDKTF -> CDK Terrain: ``cdktf`` becomes
``cdktn``, ``cdktf-cdktf-provider-<p>`` becomes ``cdktn-provider-<p>``) and from one provider
version to another: the dependency files that name the packages are planned here
(``dependencies``), and the code is then repaired against the versions the project now targets.
"""
