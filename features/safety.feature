@safety @fis
Feature: A game day can be called off
  Every experiment carries the game day's abort alarm as a stop condition.
  When the alarm goes off, FIS stops the experiment and rolls its fault back.

  Scenario: The abort alarm stops a zone outage experiment
    Given the "securecart" environment
    When the FIS experiment "az-connectivity-loss" runs
    And the alarm "securecart-gameday-abort" goes into ALARM
    Then the experiment is stopped by its stop condition
