@posture
Feature: Every piece of SecureCart's data is protected the way policy says
  Compliance asks for seven days of automated database backups, point-in-time
  recovery on every table, versioning plus cross-region replication on every
  bucket marked critical, and every resource marked for daily backup in a
  plan that keeps a week of them with a copy in the recovery region. These
  checks read the live configuration.

  Scenario: Backups, point-in-time recovery and replication are all switched on
    Given the "securecart" environment
    Then every RDS instance keeps automated backups for at least 7 days
    And every DynamoDB table has point-in-time recovery enabled
    And every bucket tagged "critical" has versioning and cross-region replication
    And every resource tagged "backup=daily" is backed up for at least 7 days with a copy in "us-west-2"

  Scenario: AWS Backup Audit Manager finds SecureCart's backups compliant
    The audit framework holds the backups to the same policy, the way an
    auditor checks it: every protectable resource in a daily plan, every
    backup kept a week and copied to us-west-2, and nobody but the backup
    administrators able to delete one. Its compliance report is kept.

    Given the "securecart" environment
    Then the backup audit framework "dr-posture" is compliant
