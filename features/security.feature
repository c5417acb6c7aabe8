@security
Feature: Backups are watched and guarded
  Every backup and restore leaves a trace in the audit trail, and nobody but
  the backup administrators may delete a backup: an attempt is refused and
  raises a security finding.

  Background:
    Given the "securecart" environment
    And the "securecart-daily" backup plan runs

  Scenario: The audit trail records the backup and the restore
    When "orders-db" is restored from its latest recovery point as "orders-db-audit-check"
    Then the audit trail records "StartBackupJob" on "orders-db"
    And the audit trail records "StartRestoreJob" on "orders-db-audit-check"

  Scenario: An intruder cannot delete the backups
    When the "intruder" role tries to delete the latest recovery point of "orders-db"
    Then the request is denied
    And a "Impact:IAMUser/AnomalousBehavior" finding is raised

  Scenario: An intruder cannot delete the backups kept in S3
    When the "intruder" role tries to delete an object version in "backup-exports"
    Then the request is denied
    And a "Impact:S3/AnomalousBehavior.Delete" finding is raised
