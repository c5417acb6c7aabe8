@drs @pilot-light
Feature: The backend servers come back in us-west-2 with Elastic Disaster Recovery
  SecureCart's backend servers copy their disks, block by block and seconds
  behind, to a staging area in us-west-2 with AWS Elastic Disaster
  Recovery. Recovering them there launches new servers from that copy. The
  business accepts the backend being down for at most half an hour, and
  losing at most one minute of what the servers wrote.

  Background:
    Given the "securecart" environment

  @drill
  Scenario: A recovery drill brings the backend servers up in us-west-2 in time
    A drill launches copies of the servers from their latest data without
    touching production, and is cleaned up afterwards. It counts from the
    moment the drill starts, as if the disaster had been declared then.

    Given the recovery objectives are RTO 30 minutes and RPO 1 minute
    When the backend servers are recovered in "us-west-2" with Elastic Disaster Recovery as a drill
    Then the recovered servers answer in "us-west-2"
    And no more than the RPO of the backend servers' data is lost

  @region-outage
  Scenario: The backend servers are recovered in us-west-2 when us-east-1 is lost
    Once us-east-1 goes dark its servers stop copying; what reached us-west-2
    by then is what they are recovered with. A real recovery is not undone:
    the new servers stay running in us-west-2.

    Given the recovery objectives are RTO 30 minutes and RPO 1 minute
    When the primary region "us-east-1" becomes unavailable
    And the backend servers are recovered in "us-west-2" with Elastic Disaster Recovery
    Then the recovered servers answer in "us-west-2"
    And no more than the RPO of the backend servers' data is lost
