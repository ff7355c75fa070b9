# Reads the project directory with the procore gem.
class Directory
  def initialize(client)
    @client = client
  end

  def people(project_id)
    @client.get("projects/#{project_id}/users", query: { per_page: 100 })
  end

  def person(project_id, user_id)
    uri = URI("#{ENV['PROCORE_URL']}/rest/v1.0/projects/#{project_id}/users/#{user_id}")
    Net::HTTP.get(uri)
  end
end
